// Fan-out of contract events to every bound client (Electron windows, WebSocket
// connections, the CLI's progress bar). Payloads are validated on the way out so
// a bug in main cannot push a malformed event to a renderer.
import { events, type EventName, type EventOf } from '../../shared/ipc/contract';

export type EventListener = (event: EventName, payload: unknown) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventOf<E>): void {
    const checked = events[event].parse(payload);
    for (const l of this.listeners) l(event, checked);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
