import { useState } from 'react';
import { client } from '../api/client';
import { errorMessage } from '../lib/errors';

/**
 * Reveals a file or folder in the system's file manager (Electron). A browser page
 * cannot open one, so there the path is copied to the clipboard and shown instead.
 */
export function ShowInFolderButton({ path, testId }: { path: string; testId?: string }) {
  const [note, setNote] = useState<string | null>(null);
  const show = async () => {
    setNote(null);
    try {
      const { opened } = await client.request('system.showInFolder', { path });
      if (opened) return;
      const copied = await navigator.clipboard?.writeText(path).then(
        () => true,
        () => false,
      );
      setNote(copied ? 'The browser cannot open folders; the path is copied to the clipboard.' : 'The browser cannot open folders; the path is shown above.');
    } catch (err) {
      setNote(`Could not show it: ${errorMessage(err)}`);
    }
  };
  return (
    <span className="show-in-folder">
      <button type="button" className="button small" onClick={show} data-testid={testId}>
        Show in folder
      </button>
      {note && (
        <span className="muted small-note" role="status">
          {note}
        </span>
      )}
    </span>
  );
}
