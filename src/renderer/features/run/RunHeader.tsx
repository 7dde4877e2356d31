import { ACTIVE_STATUSES, type RunDetail } from '../../../shared/ipc/schemas';
import { StatusBadge } from '../../components/StatusBadge';
import { formatTimestamp } from '../../lib/format';
import { StopButton } from './StopButton';

export function RunHeader({ run }: { run: RunDetail }) {
  return (
    <div className="page-header run-header">
      <div>
        <h1 data-testid="run-name">{run.name}</h1>
        <p className="muted run-meta">
          <span data-testid="run-id">#{run.id}</span> · {run.method} · created {formatTimestamp(run.createdAt)}
          {run.parentRunId !== null && (
            <>
              {' '}
              · continues <a href={`#/runs/${run.parentRunId}`}>#{run.parentRunId}</a>
            </>
          )}
        </p>
      </div>
      <div className="run-actions">
        <StatusBadge status={run.status} testId="run-status" />
        {ACTIVE_STATUSES.includes(run.status) && <StopButton runId={run.id} />}
      </div>
    </div>
  );
}
