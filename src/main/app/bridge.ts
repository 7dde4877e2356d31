// The object the preload exposes as `window.loralab`, built from an ipcRenderer
// but without importing Electron (so tests run it in plain Node). It offers the
// typed contract and nothing else: invoke() of a contract channel, and events
// named in the contract. ipcRenderer itself, its event objects (whose `sender`
// could reach any channel) and every other channel stay out of the renderer.
import { BRIDGE_EVENT, BRIDGE_INVOKE, type LoralabBridge } from '../../shared/ipc/bridge';
import { isChannel, isEventName } from '../../shared/ipc/contract';
import { fail, type Result } from '../../shared/ipc/result';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createBridge(ipc: IpcRendererLike): LoralabBridge {
  const bridge: LoralabBridge = {
    invoke(channel, payload) {
      // Main validates everything again; refusing here keeps a renderer from using the IPC pipe for anything else.
      if (!isChannel(channel)) return Promise.resolve(fail('UNKNOWN_CHANNEL', `unknown channel ${JSON.stringify(channel)}`));
      return ipc.invoke(BRIDGE_INVOKE, channel, payload) as Promise<Result<unknown>>;
    },
    onEvent(listener) {
      if (typeof listener !== 'function') throw new TypeError('onEvent needs a listener function');
      const handler = (_event: unknown, name: unknown, payload: unknown) => {
        if (isEventName(name)) listener(name, payload);
      };
      ipc.on(BRIDGE_EVENT, handler as (event: unknown, ...args: unknown[]) => void);
      return () => {
        ipc.removeListener(BRIDGE_EVENT, handler as (event: unknown, ...args: unknown[]) => void);
      };
    },
  };
  return Object.freeze(bridge);
}
