// The state of the link to the LoRA Lab server, as a tiny external store that React
// reads with useSyncExternalStore.

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'open' }
  /** `everOpened` tells a dropped connection apart from one that never came up. */
  | { kind: 'reconnecting'; attempt: number; retryInMs: number; everOpened: boolean }
  | { kind: 'refused'; reason: string }
  | { kind: 'no-token' };

export interface ConnectionStatus {
  state: ConnectionState;
  /** Counts successful opens: a change means events may have been missed, so views refetch. */
  generation: number;
}

export interface ConnectionStore {
  get(): ConnectionStatus;
  subscribe(listener: () => void): () => void;
}

export interface WritableConnectionStore extends ConnectionStore {
  set(status: ConnectionStatus): void;
}

export function createConnectionStore(initial: ConnectionStatus): WritableConnectionStore {
  let current = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(status) {
      current = status;
      for (const l of [...listeners]) l();
    },
  };
}
