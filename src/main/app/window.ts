// The main window, with Electron's security settings spelled out: context
// isolation and the sandbox on, no Node in the renderer, no navigation away from
// the bundled page, no new windows, and a strict Content-Security-Policy.
import { BrowserWindow, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../server/static-files';

export function rendererUrl(rendererDir: string): string {
  return pathToFileURL(join(rendererDir, 'index.html')).href;
}

export function installCsp(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

export function createMainWindow(rendererDir: string, preloadPath: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'LoRA Lab',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  const home = rendererUrl(rendererDir);
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(home)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(home);
  return win;
}
