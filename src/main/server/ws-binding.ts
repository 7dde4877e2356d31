// Binds the IPC contract to WebSocket connections: request frames go through the
// router (which validates them), events from the hub go to every open socket.
// A malformed frame gets a VALIDATION error naming the field; the server goes on.
import type { WebSocket } from 'ws';
import { wsRequestFrameSchema } from '../../shared/ipc/contract';
import { fail, validationFailure, type Result } from '../../shared/ipc/result';
import type { EventHub } from '../services/event-hub';
import type { Router } from '../services/router';

export function bindSocket(socket: WebSocket, router: Router, hub: EventHub): void {
  const reply = (id: number | null, result: Result<unknown>) => socket.send(JSON.stringify({ id, result }));
  const unsubscribe = hub.subscribe((event, payload) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ event, payload }));
  });
  socket.on('close', unsubscribe);
  socket.on('message', (data) => {
    // A rejected promise here would be an unhandled rejection, which ends the process.
    handle(data.toString()).catch((err: unknown) =>
      reply(null, fail('INTERNAL', `frame: ${err instanceof Error ? err.message : String(err)}`)),
    );
  });
  async function handle(text: string): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return reply(null, fail('VALIDATION', 'frame: not valid JSON', { issues: [{ path: 'frame', message: 'not valid JSON' }] }));
    }
    const frame = wsRequestFrameSchema.safeParse(raw);
    if (!frame.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      return reply(typeof id === 'number' ? id : null, validationFailure('frame', frame.error));
    }
    reply(frame.data.id, await router.dispatch(frame.data.channel, frame.data.payload));
  }
}
