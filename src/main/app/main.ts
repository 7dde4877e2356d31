// Electron main process (built to dist/app/main.cjs; `npm start`). A thin shell:
// the services (registry, supervisor, router) are the same ones the CLI and
// `loralab ui` use; this file only adds windows and the ipcMain binding.
import { app, BrowserWindow, ipcMain, Menu } from 'electron';
import { join } from 'node:path';
import { bindElectronIpc } from '../ipc/bind-electron';
import { createServices, type Services } from '../services/index';
import { rendererDir, resourcesDir } from '../services/paths';
import { createMainWindow, installCsp, rendererUrl } from './window';

let services: Services | undefined;

async function boot(): Promise<void> {
  await app.whenReady();
  installCsp();
  Menu.setApplicationMenu(null);
  services = createServices({ registryPath: process.env.LORALAB_REGISTRY, baseDir: resourcesDir() });
  const home = rendererUrl(rendererDir());
  bindElectronIpc(
    ipcMain,
    services.router,
    services.hub,
    () => BrowserWindow.getAllWindows().map((w) => w.webContents),
    (url) => url.startsWith(home),
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

boot().catch((err: unknown) => {
  console.error(`LoRA Lab failed to start: ${err instanceof Error ? err.message : String(err)}`);
  app.exit(1);
});
