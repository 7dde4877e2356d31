// The renderer's typed client, generated from the contract: no method is written
// by hand per call. A transport moves raw frames; this file adds the types and
// rethrows remote errors.
import { events, isEventName, type Channel, type EventName, type EventOf, type RequestOf, type ResponseOf } from './contract';
import { RemoteError, type Result } from './result';

export interface Transport {
  invoke(channel: string, payload: unknown): Promise<Result<unknown>>;
  /** Calls back for every event; returns an unsubscribe function. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

export interface Client {
  request<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}

export function createClient(transport: Transport): Client {
  return {
    async request(channel, payload) {
      const result = await transport.invoke(channel, payload);
      if (!result.ok) throw new RemoteError(result.error);
      return result.value as never;
    },
    on(event, listener) {
      return transport.subscribe((name, payload) => {
        if (name !== event || !isEventName(name)) return;
        const parsed = events[name].safeParse(payload);
        if (parsed.success) listener(parsed.data as never);
      });
    },
  };
}
