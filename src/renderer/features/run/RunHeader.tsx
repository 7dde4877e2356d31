import { ACTIVE_STATUSES, type RunDetail } from '../../../shared/ipc/schemas';
import { StatusBadge } from '../../components/StatusBadge';
import { TagEditor } from '../../components/TagEditor';
import { ClusterExportButton } from '../cluster/ClusterExportButton';
import { formatTimestamp } from '../../lib/format';
import { newRunHref, routeHref } from '../../route';
import { ResumeButton } from './ResumeButton';
import { RESUMABLE } from './run-status';
import { StopButton } from './StopButton';

export function RunHeader({ run }: { run: RunDetail }) {
  const parent = run.lineage[0] ?? run.parentRunId;
  return (
    <div className="page-header run-header">
      <div className="run-title">
        <h1 data-testid="run-name">{run.name}</h1>
        <p className="muted run-meta">
          <span data-testid="run-id">#{run.id}</span> · {run.method}
          {run.rank !== null && ` r=${run.rank}`} · <span title={run.baseModel}>{baseName(run.baseModel)}</span> · created{' '}
          {formatTimestamp(run.createdAt)}
          {parent !== null && parent !== undefined && (
            <>
              {' '}
              · continues <a href={routeHref({ page: 'run', runId: parent })}>#{parent}</a>
            </>
          )}
        </p>
        <TagEditor runId={run.id} tags={run.tags} />
      </div>
      <div className="run-actions">
        <StatusBadge status={run.status} testId="run-status" />
        {(ACTIVE_STATUSES.includes(run.status) || run.engineAlive) && <StopButton runId={run.id} />}
        {RESUMABLE.includes(run.status) && run.checkpoints.length > 0 && <ResumeButton runId={run.id} />}
        {!ACTIVE_STATUSES.includes(run.status) && (
          <a className="button" href={newRunHref({ copyOf: run.id })} data-testid="run-again" title="New run with this run's config, to change and start">
            Edit and run again
          </a>
        )}
        <ClusterExportButton runId={run.id} runName={run.name} />
      </div>
    </div>
  );
}

/** The last path segment: "lab-tiny-llama" for resources/models/lab-tiny-llama. */
export const baseName = (path: string): string => path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || path;
