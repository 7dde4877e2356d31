// `window.loralab`: the narrow API the Electron preload exposes (src/main/app/preload.ts).
// In a plain browser (`loralab ui`) it is absent and the WebSocket transport is used.
import type { LoralabBridge } from '../shared/ipc/bridge';

declare global {
  interface Window {
    loralab?: LoralabBridge;
  }
}
