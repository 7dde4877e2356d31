import { useState } from 'react';
import { client } from '../../api/client';
import { errorMessage } from '../../lib/errors';

/** Reveals a folder in the file manager (Electron); a browser page cannot, so there it says where the folder is. */
export function ShowInFolder({ path }: { path: string }) {
  const [note, setNote] = useState<string | null>(null);
  const show = async () => {
    try {
      const { opened } = await client.request('system.showInFolder', { path });
      setNote(opened ? null : 'A browser page cannot open folders; the path is shown here.');
    } catch (err) {
      setNote(errorMessage(err));
    }
  };
  return (
    <>
      <button type="button" className="button small" onClick={show} data-testid="merge-show-in-folder">
        Show in folder
      </button>
      {note && <span className="muted small-note"> {note}</span>}
    </>
  );
}
