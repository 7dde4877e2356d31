// What the Electron preload exposes to the renderer as `window.loralab`: a narrow
// invoke + event API, never ipcRenderer itself.
import type { Result } from './result';

export interface LoralabBridge {
  invoke(channel: string, payload: unknown): Promise<Result<unknown>>;
  /** Calls back for every event from main; returns an unsubscribe function. */
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
}

/** The Electron IPC channel names that carry the contract. */
export const BRIDGE_INVOKE = 'loralab:invoke';
export const BRIDGE_EVENT = 'loralab:event';
