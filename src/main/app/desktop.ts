// What only the desktop shell can do for the services (system.showInFolder,
// system.pickFolder): the file manager and the native folder dialog.
import { BrowserWindow, dialog, shell } from 'electron';
import { existsSync } from 'node:fs';
import type { DesktopHooks } from '../services/index';

export const desktopHooks: DesktopHooks = {
  showInFolder(path) {
    if (!existsSync(path)) return false;
    shell.showItemInFolder(path);
    return true;
  },
  async pickFolder() {
    const parent = BrowserWindow.getFocusedWindow();
    const options = { title: 'Choose a folder', properties: ['openDirectory' as const, 'dontAddToRecent' as const] };
    const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
};
