import { useEffect } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ClusterImportButton } from '../cluster/ClusterImportButton';
import { newRunHref } from '../../route';
import { RunsTable } from './RunsTable';
import { useRuns } from './useRuns';

export function RunsPage() {
  const { runs, error, reload } = useRuns();

  useEffect(() => {
    document.title = 'Runs — LoRA Lab';
  }, []);

  return (
    <div className="page page-wide">
      <div className="page-header">
        <h1>Runs</h1>
        <span className="run-actions">
          <ClusterImportButton onImported={reload} />
          <a className="button primary" href={newRunHref()} data-testid="new-run">
            New run
          </a>
        </span>
      </div>
      {error && <ErrorMessage testId="runs-error">Could not load runs: {error}</ErrorMessage>}
      {runs ? <RunsTable runs={runs} onChanged={reload} /> : !error && <p className="muted">Loading runs…</p>}
    </div>
  );
}
