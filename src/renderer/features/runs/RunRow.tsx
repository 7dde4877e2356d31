import type { RunSummary } from '../../../shared/ipc/schemas';
import { StatusBadge } from '../../components/StatusBadge';
import { formatInteger, formatLoss, formatTimestamp, MISSING } from '../../lib/format';
import { routeHref } from '../../route';

const SHOWS_ERROR = new Set(['failed', 'crashed']);

export function RunRow({ run }: { run: RunSummary }) {
  const href = routeHref({ page: 'run', runId: run.id });
  return (
    <tr data-testid={`run-row-${run.id}`} data-status={run.status}>
      <td className="num">
        <a href={href}>{run.id}</a>
      </td>
      <td>
        <a href={href} className="run-name">
          {run.name}
        </a>
      </td>
      <td>{run.method}</td>
      <td>
        <StatusBadge status={run.status} />
      </td>
      <td className="num">{formatInteger(run.lastStep)}</td>
      <td className="num">{formatLoss(run.lastLoss)}</td>
      <td className="nowrap">{formatTimestamp(run.createdAt)}</td>
      <td className="run-error" data-testid={`run-error-${run.id}`}>
        {SHOWS_ERROR.has(run.status) ? (run.error ?? MISSING) : null}
      </td>
    </tr>
  );
}
