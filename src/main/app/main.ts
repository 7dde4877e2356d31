// Electron main process (built to dist/app/main.cjs; `npm start`). A thin shell:
// the services (registry, supervisor, jobs, router) are the same ones the CLI
// and `loralab ui` use, and every model runs in an engine process; this file only
// adds the single-instance lock, native menus, the hardened window and the
// ipcMain binding (every payload validated by the router).
import { app, BrowserWindow, ipcMain, Menu, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { bindElectronIpc } from '../ipc/bind-electron';
import { createServices, type Services } from '../services/index';
import { rendererDir, resourcesDir } from '../services/paths';
import { desktopHooks } from './desktop';
import { menuTemplate } from './security';
import { createMainWindow, guardContents, hardenSession, rendererUrl } from './window';

let services: Services | undefined;

// One instance: a second launch focuses the running window (two apps would supervise the same runs).
if (!app.requestSingleInstanceLock()) app.quit();
else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  boot().catch((err: unknown) => {
    console.error(`LoRA Lab failed to start: ${err instanceof Error ? err.message : String(err)}`);
    app.exit(1);
  });
}

async function boot(): Promise<void> {
  const home = rendererUrl(rendererDir());
  app.on('web-contents-created', (_event, contents) => guardContents(contents, home));
  await app.whenReady();
  hardenSession();
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(process.platform, { packaged: app.isPackaged, appName: app.name }) as MenuItemConstructorOptions[]));
  services = createServices({ registryPath: process.env.LORALAB_REGISTRY, baseDir: resourcesDir(), desktop: desktopHooks });
  bindElectronIpc(
    ipcMain,
    services.router,
    services.hub,
    () => BrowserWindow.getAllWindows().map((w) => w.webContents),
    (url) => url === home || url.startsWith(`${home}#`),
  );
  const open = () => createMainWindow(rendererDir(), join(__dirname, 'preload.cjs'));
  open();
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && open());
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Engines stop cleanly (their runs are recorded as stopped) before the app exits.
let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !services) return;
  event.preventDefault();
  quitting = true;
  void services.close().finally(() => app.quit());
});
