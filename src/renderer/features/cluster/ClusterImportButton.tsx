import './cluster.css';
import { useState } from 'react';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { errorMessage } from '../../lib/errors';
import { routeHref } from '../../route';
import { ClusterDialog, ClusterDialogActions, FolderInput } from './ClusterDialog';
import { importRequest } from './cluster-form';
import { folderPicker } from './folder-picker';

/**
 * Runs page → "Import…": records a finished Hugging Face job (cluster.importJob)
 * as a run, with a link to it and, when it came from a run here, to Compare.
 */
export function ClusterImportButton({ onImported }: { onImported?: () => void }) {
  const [open, setOpen] = useState(false);
  const [dir, setDir] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ResponseOf<'cluster.importJob'> | null>(null);
  const pick = folderPicker();

  const close = () => {
    setOpen(false);
    setError(null);
    setResult(null);
  };
  const submit = async () => {
    const built = importRequest(dir);
    if ('error' in built) return setError(built.error);
    setBusy(true);
    setError(null);
    try {
      setResult(await client.request('cluster.importJob', built.request));
      onImported?.();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const counts = result ? Object.entries(result.metrics).map(([name, n]) => `${n} ${name}`).join(', ') : '';
  return (
    <>
      <button type="button" className="button" data-testid="cluster-import-open" onClick={() => setOpen(true)}>
        Import…
      </button>
      <ClusterDialog
        open={open}
        title="Import a cluster run"
        busy={busy}
        onClose={close}
        testId="cluster-import"
        actions={<ClusterDialogActions done={result !== null} busy={busy} onClose={close} onSubmit={submit} label="Import" busyLabel="Importing…" testId="cluster-import" />}
      >
        {result ? (
          <div data-testid="cluster-import-result">
            <p>
              Recorded <a href={routeHref({ page: 'run', runId: result.runId })}>run #{result.runId}</a> {result.name} ({result.status}, {result.steps} steps): {counts || 'no metrics'}.
            </p>
            {result.parentRunId !== null && (
              <p>
                Exported from run #{result.parentRunId}:{' '}
                <a href={routeHref({ page: 'compare', runIds: [result.parentRunId, result.runId] })} data-testid="cluster-import-compare">
                  compare the two
                </a>
                .
              </p>
            )}
            {result.warnings.map((w) => (
              <p key={w} className="muted small-note">
                {w}
              </p>
            ))}
          </div>
        ) : (
          <form
            className="cluster-form"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <p className="muted">
              A job folder written by “Run on a cluster…” after it ran, its output/ folder, or any PEFT adapter folder with a Hugging Face Trainer
              trainer_state.json. Its log_history becomes the run's metrics and its adapter the run's artifact.
            </p>
            <FolderInput label="Folder" value={dir} onChange={setDir} testId="cluster-import-dir" onPick={pick} autoFocus />
            {/* Enter in a field submits. */}
            <button type="submit" className="cluster-hidden-submit" tabIndex={-1} aria-hidden="true" />
          </form>
        )}
        {error && <ErrorMessage testId="cluster-import-error">Could not import: {error}</ErrorMessage>}
      </ClusterDialog>
    </>
  );
}
