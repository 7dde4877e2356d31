import { ACTIVE_STATUSES, type RunDetail, type RunStatus } from '../../../shared/ipc/schemas';
import { StatusBadge } from '../../components/StatusBadge';
import { formatTimestamp } from '../../lib/format';
import { ResumeButton } from './ResumeButton';
import { StopButton } from './StopButton';

const RESUMABLE: readonly RunStatus[] = ['stopped', 'crashed', 'failed'];

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
              · continues{' '}
              <a href={`#/runs/${run.parentRunId}`} data-testid="run-parent">
                #{run.parentRunId}
              </a>
            </>
          )}
        </p>
      </div>
      <div className="run-actions">
        <StatusBadge status={run.status} testId="run-status" />
        {ACTIVE_STATUSES.includes(run.status) && <StopButton runId={run.id} />}
        {RESUMABLE.includes(run.status) && <ResumeButton runId={run.id} />}
      </div>
    </div>
  );
}
