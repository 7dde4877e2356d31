// Fan-out of contract events to every bound client (Electron windows, WebSocket
// connections, the CLI's progress bar). Payloads are validated on the way out so
// a bug in main cannot push a malformed event to a renderer.
//
// emit() never throws: it is called from timers, child-process message handlers
// and exit handlers, where an exception would end the process (and with it every
// run it supervises). A payload that fails its schema is dropped with a message on
// stderr; a listener that throws is reported and the others still get the event.
import { events, type EventName, type EventOf } from '../../shared/ipc/contract';

export type EventListener = (event: EventName, payload: unknown) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventOf<E>): void {
    const checked = events[event].safeParse(payload);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      report(`dropped a malformed ${event} event (${issue ? `${issue.path.join('.') || 'payload'}: ${issue.message}` : 'invalid'})`);
      return;
    }
    for (const l of this.listeners) {
      try {
        l(event, checked.data);
      } catch (err) {
        report(`a ${event} listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}

function report(message: string): void {
  process.stderr.write(`loralab: event hub: ${message}\n`);
}
