// The main window with the settings of security.ts applied: no navigation away
// from the bundled page, no new windows, no webviews, no permissions, and the
// strict Content-Security-Policy on every response of the session.
import { BrowserWindow, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../server/static-files';
import { grantsPermission, isAllowedNavigation, mainWindowOptions, windowOpenDecision } from './security';

export function rendererUrl(rendererDir: string): string {
  return pathToFileURL(join(rendererDir, 'index.html')).href;
}

/** Session-wide: the CSP header (the page also carries it as a meta tag, which file:// loads use) and no permissions. */
export function hardenSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(grantsPermission(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => grantsPermission(permission));
}

/** Applied to every webContents the app creates (app 'web-contents-created'), not only the main window's. */
export function guardContents(contents: WebContents, home: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(home, url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(home, url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally) void shell.openExternal(url);
    return { action: decision.action };
  });
}

export function createMainWindow(rendererDir: string, preloadPath: string): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(preloadPath));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(rendererUrl(rendererDir));
  return win;
}
