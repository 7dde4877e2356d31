import { useState, type FormEvent } from 'react';
import { client } from '../api/client';
import { errorMessage } from '../lib/errors';

/** A run's tags as chips: remove one with its × button, add one with the field (Enter). */
export function TagEditor({ runId, tags, onChange }: { runId: number; tags: readonly string[]; onChange?: (tags: string[]) => void }) {
  const [current, setCurrent] = useState<readonly string[]>(tags);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [synced, setSynced] = useState(tags);
  if (synced !== tags) {
    // The run was re-read: take its tags unless an edit is in flight.
    setSynced(tags);
    if (!busy) setCurrent(tags);
  }

  const save = async (next: string[]) => {
    setBusy(true);
    setError(null);
    try {
      const saved = await client.request('runs.setTags', { runId, tags: next });
      setCurrent(saved.tags);
      onChange?.(saved.tags);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const add = (e: FormEvent) => {
    e.preventDefault();
    const tag = draft.trim();
    if (!tag) return;
    setDraft('');
    if (!current.includes(tag)) void save([...current, tag]);
  };

  return (
    <div className="tag-editor" data-testid="tag-editor">
      <ul className="tags" aria-label="Tags">
        {current.map((t) => (
          <li key={t} className="tag">
            {t}
            <button type="button" className="tag-remove" aria-label={`Remove tag ${t}`} disabled={busy} onClick={() => save(current.filter((x) => x !== t))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="tag-add">
        <input
          type="text"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="add tag"
          aria-label="Add a tag"
          maxLength={64}
          data-testid="tag-input"
        />
      </form>
      {error && (
        <span className="error-inline" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
