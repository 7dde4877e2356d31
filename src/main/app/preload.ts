// The preload script (sandboxed): exposes the narrow bridge of bridge.ts as
// window.loralab — invoke a contract channel, listen to contract events — and
// never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('loralab', createBridge(ipcRenderer));
