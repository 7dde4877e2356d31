import { useState, type FormEvent } from 'react';
import { ACTIVE_STATUSES, type RunSummary } from '../../../shared/ipc/schemas';
import { client } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { errorMessage } from '../../lib/errors';
import { routeHref } from '../../route';

/** What can be done with the selected runs: compare them, tag them, delete them. */
export function RunsToolbar({ selected, onDone }: { selected: readonly RunSummary[]; onDone: (removed: boolean) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tag, setTag] = useState('');
  const active = selected.filter((r) => ACTIVE_STATUSES.includes(r.status));
  const ids = selected.map((r) => r.id);

  const addTag = async (e: FormEvent) => {
    e.preventDefault();
    const t = tag.trim();
    if (!t || selected.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      for (const r of selected) if (!r.tags.includes(t)) await client.request('runs.setTags', { runId: r.id, tags: [...r.tags, t] });
      setTag('');
      onDone(false);
    } catch (err) {
      setError(`Could not tag: ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    setError(null);
    const failures: string[] = [];
    for (const r of selected) {
      try {
        await client.request('runs.delete', { runId: r.id });
      } catch (err) {
        failures.push(`#${r.id}: ${errorMessage(err)}`);
      }
    }
    setBusy(false);
    setConfirming(false);
    if (failures.length) setError(`Could not delete ${failures.join('; ')}`);
    onDone(true);
  };

  return (
    <div className="toolbar" role="toolbar" aria-label="Selected runs" data-testid="runs-toolbar">
      <span className="muted" data-testid="selected-count">
        {selected.length === 0 ? 'Select runs to compare, tag or delete them.' : `${selected.length} selected`}
      </span>
      {selected.length >= 2 ? (
        <a className="button primary" href={routeHref({ page: 'compare', runIds: ids })} data-testid="compare-selected">
          Compare {selected.length}
        </a>
      ) : (
        <button type="button" className="button" disabled title="Select two or more runs" data-testid="compare-selected">
          Compare
        </button>
      )}
      <form className="inline-form" onSubmit={addTag}>
        <input
          type="text"
          placeholder="tag"
          aria-label="Tag to add to the selected runs"
          value={tag}
          maxLength={64}
          onChange={(e) => setTag(e.target.value)}
          disabled={selected.length === 0 || busy}
          data-testid="tag-selected-input"
        />
        <button type="submit" className="button" disabled={selected.length === 0 || busy || !tag.trim()} data-testid="tag-selected">
          Add tag
        </button>
      </form>
      <button
        type="button"
        className="button danger"
        disabled={selected.length === 0 || active.length > 0 || busy}
        title={active.length > 0 ? 'Stop the running runs before deleting them' : undefined}
        onClick={() => setConfirming(true)}
        data-testid="delete-selected"
      >
        Delete…
      </button>
      {error && <ErrorMessage testId="runs-action-error">{error}</ErrorMessage>}
      <ConfirmDialog
        open={confirming}
        title={selected.length === 1 ? `Delete run #${ids[0]}?` : `Delete ${selected.length} runs?`}
        confirmLabel={busy ? 'Deleting…' : 'Delete'}
        danger
        busy={busy}
        onConfirm={remove}
        onCancel={() => setConfirming(false)}
        testId="delete-dialog"
      >
        <p>This removes the runs from the registry with their metrics, and deletes their folders (checkpoints and adapters) from disk:</p>
        <ul>
          {selected.map((r) => (
            <li key={r.id}>
              #{r.id} {r.name}
            </li>
          ))}
        </ul>
        <p>It cannot be undone.</p>
      </ConfirmDialog>
    </div>
  );
}
