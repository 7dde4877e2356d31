import { useEffect } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { NewRunButton } from './NewRunButton';
import { RunsTable } from './RunsTable';
import { useRuns } from './useRuns';

export function RunsPage() {
  const { runs, error } = useRuns();

  useEffect(() => {
    document.title = 'Runs — LoRA Lab';
  }, []);

  return (
    <div className="page">
      <div className="page-header">
        <h1>Runs</h1>
        <NewRunButton />
      </div>
      {error && <ErrorMessage testId="runs-error">Could not load runs: {error}</ErrorMessage>}
      {runs ? <RunsTable runs={runs} /> : !error && <p className="muted">Loading runs…</p>}
    </div>
  );
}
