import type { RunSummary } from '../../../shared/ipc/schemas';
import { RunRow } from './RunRow';

export function RunsTable({ runs }: { runs: readonly RunSummary[] }) {
  return (
    <table className="table runs-table" data-testid="runs-table" data-count={runs.length}>
      <thead>
        <tr>
          <th className="num">ID</th>
          <th>Name</th>
          <th>Method</th>
          <th>Status</th>
          <th className="num">Step</th>
          <th className="num">Loss</th>
          <th>Created</th>
          <th>Error</th>
        </tr>
      </thead>
      <tbody>
        {runs.length === 0 ? (
          <tr className="empty-row">
            <td colSpan={8}>No runs yet. Start one with “New run”.</td>
          </tr>
        ) : (
          runs.map((run) => <RunRow key={run.id} run={run} />)
        )}
      </tbody>
    </table>
  );
}
