// Electron's security settings as plain data and pure decisions, so tests can
// assert them without the Electron binary (window.ts and main.ts apply them).
// They follow Electron's security checklist (docs/tutorial/security.md):
// context isolation, the sandbox, no Node in renderers, a strict CSP, no
// navigation or new windows, no webviews, no permissions, and IPC validated in main.
import type { BrowserWindowConstructorOptions } from 'electron';

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 700,
    minHeight: 480,
    title: 'LoRA Lab',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

/** Only the bundled page itself (any hash route of it); everything else is refused. */
export function isAllowedNavigation(homeUrl: string, url: string): boolean {
  try {
    const home = new URL(homeUrl);
    const target = new URL(url);
    return target.protocol === home.protocol && target.host === home.host && target.pathname === home.pathname && target.search === '';
  } catch {
    return false;
  }
}

/**
 * window.open and target=_blank never open an Electron window. An https link
 * goes to the system browser (the app itself is offline); anything else is dropped.
 */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: boolean } {
  let external = false;
  try {
    external = new URL(url).protocol === 'https:';
  } catch {
    external = false;
  }
  return { action: 'deny', openExternally: external };
}

/** No web permission (camera, notifications, geolocation, …) is ever granted. */
export const grantsPermission = (_permission: string): boolean => false;

export type MenuItem = { label?: string; role?: string; type?: 'separator'; accelerator?: string; id?: string; submenu?: MenuItem[] };

/** The native menus: the platform's standard roles (copy/paste and quit work as users expect), no dev tools in a packaged app. */
export function menuTemplate(platform: NodeJS.Platform, options: { packaged: boolean; appName?: string }): MenuItem[] {
  const mac = platform === 'darwin';
  const view: MenuItem[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }];
  if (!options.packaged) view.unshift({ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  return [
    ...(mac
      ? [{ label: options.appName ?? 'LoRA Lab', submenu: [{ role: 'about' }, { type: 'separator' as const }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' as const }, { role: 'quit' }] }]
      : []),
    { label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    { label: 'View', submenu: view },
    { label: 'Window', submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }] },
  ];
}
