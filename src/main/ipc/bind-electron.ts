// Binds the IPC contract to Electron: one invoke channel whose payloads all go
// through the router's validation, and events pushed to every window. Requests
// from any frame other than our own renderer page are refused.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { BRIDGE_EVENT, BRIDGE_INVOKE } from '../../shared/ipc/bridge';
import { fail, type Result } from '../../shared/ipc/result';
import type { EventHub } from '../services/event-hub';
import type { Router } from '../services/router';

/** The ipcMain handler, separate from Electron so it can be tested in plain Node. */
export function makeInvokeHandler(router: Router, isTrustedUrl: (url: string) => boolean) {
  return async (event: Pick<IpcMainInvokeEvent, 'senderFrame'>, channel: unknown, payload: unknown): Promise<Result<unknown>> => {
    const url = event.senderFrame?.url ?? '';
    if (!isTrustedUrl(url)) return fail('VALIDATION', `request from an untrusted frame (${url || 'unknown'}) refused`);
    return router.dispatch(channel, payload);
  };
}

export function bindElectronIpc(
  ipcMain: IpcMain,
  router: Router,
  hub: EventHub,
  targets: () => WebContents[],
  isTrustedUrl: (url: string) => boolean,
): () => void {
  ipcMain.handle(BRIDGE_INVOKE, makeInvokeHandler(router, isTrustedUrl));
  const unsubscribe = hub.subscribe((event, payload) => {
    for (const wc of targets()) if (!wc.isDestroyed()) wc.send(BRIDGE_EVENT, event, payload);
  });
  return () => {
    ipcMain.removeHandler(BRIDGE_INVOKE);
    unsubscribe();
  };
}
