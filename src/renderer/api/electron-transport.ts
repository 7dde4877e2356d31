// Transport over the Electron preload bridge: the main process validates and answers
// every request, so this only forwards.
import type { Transport } from '../../shared/ipc/client';
import type { LoralabBridge } from '../../shared/ipc/bridge';

export function createElectronTransport(bridge: LoralabBridge): Transport {
  return {
    invoke: (channel, payload) => bridge.invoke(channel, payload),
    subscribe: (listener) => bridge.onEvent(listener),
  };
}
