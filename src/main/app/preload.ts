// The preload script: exposes the narrow LoralabBridge as window.loralab —
// invoke one contract channel, listen to events — and never ipcRenderer itself.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_EVENT, BRIDGE_INVOKE, type LoralabBridge } from '../../shared/ipc/bridge';

const bridge = {
  invoke: (channel: string, payload: unknown) => ipcRenderer.invoke(BRIDGE_INVOKE, channel, payload),
  onEvent: (listener: (event: string, payload: unknown) => void) => {
    const handler = (_e: IpcRendererEvent, event: string, payload: unknown) => listener(event, payload);
    ipcRenderer.on(BRIDGE_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(BRIDGE_EVENT, handler);
    };
  },
} satisfies LoralabBridge;

contextBridge.exposeInMainWorld('loralab', bridge);
