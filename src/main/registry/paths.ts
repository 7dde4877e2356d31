// Where the registry file lives when nobody says otherwise.
// LORALAB_REGISTRY (a file) wins, then LORALAB_HOME (a folder), then the
// platform's per-user data folder.
import { homedir } from 'node:os';
import { posix, resolve, win32 } from 'node:path';

export const REGISTRY_FILE = 'registry.sqlite';

export interface PathEnvironment {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  home: string;
}

export function registryPathFor({ env, platform, home }: PathEnvironment): string {
  // Empty variables count as unset, as a shell's `VAR= cmd` intends.
  const set = (name: string): string | undefined => (env[name] ? env[name] : undefined);
  const explicit = set('LORALAB_REGISTRY');
  if (explicit) return resolve(explicit);
  const loralabHome = set('LORALAB_HOME');
  if (loralabHome) return resolve(loralabHome, REGISTRY_FILE);

  if (platform === 'win32') {
    const appData = set('APPDATA') ?? win32.join(home, 'AppData', 'Roaming');
    return win32.join(appData, 'LoRA Lab', REGISTRY_FILE);
  }
  if (platform === 'darwin') {
    return posix.join(home, 'Library', 'Application Support', 'LoRA Lab', REGISTRY_FILE);
  }
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = set('XDG_DATA_HOME');
  const dataHome = xdg && posix.isAbsolute(xdg) ? xdg : posix.join(home, '.local', 'share');
  return posix.join(dataHome, 'loralab', REGISTRY_FILE);
}

export function defaultRegistryPath(): string {
  return registryPathFor({ env: process.env, platform: process.platform, home: homedir() });
}
