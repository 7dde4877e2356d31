import { client } from '../../api/client';

/** The system folder dialog where the app has one (Electron); undefined in a browser page. */
export function folderPicker(): (() => Promise<string | null>) | undefined {
  if (typeof window === 'undefined' || window.loralab === undefined) return undefined;
  return async () => (await client.request('system.pickFolder', {})).path;
}
