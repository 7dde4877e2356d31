// The runs table's columns (TanStack Table v8 column defs): what each shows, how it
// sorts (missing values last, whatever the direction) and what the search matches.
import { createColumnHelper, type FilterFn } from '@tanstack/react-table';
import type { RunSummary } from '../../../shared/ipc/schemas';
import { StatusBadge } from '../../components/StatusBadge';
import { formatBytes } from '../../lib/bytes';
import { formatDuration, formatInteger, formatLoss, formatTimestamp, MISSING } from '../../lib/format';
import { routeHref } from '../../route';
import { baseName } from '../run/RunHeader';

const col = createColumnHelper<RunSummary>();

type NumericKey = 'rank' | 'bestEvalLoss' | 'durationMs' | 'adapterBytes' | 'lastStep';

/**
 * A nullable number column. Missing values are read as undefined so TanStack sorts
 * them after every number in both directions (sortUndefined: 'last').
 */
const numeric = (key: NumericKey, header: string, show: (v: number | null) => string) =>
  col.accessor((r) => r[key] ?? undefined, {
    id: key,
    header,
    meta: { num: true },
    sortingFn: 'basic',
    sortUndefined: 'last',
    cell: (c) => show(c.row.original[key]),
  });

/** The search box: every word must appear in the run's name, method, model, status, tags or id. */
export const searchRuns: FilterFn<RunSummary> = (row, _id, query: string) => {
  const r = row.original;
  const hay = [`#${r.id}`, r.name, r.method, r.baseModel, r.status, ...r.tags].join(' ').toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => hay.includes(word));
};

const SHOWS_ERROR = new Set(['failed', 'crashed']);

export const runColumns = [
  col.accessor('id', {
    header: 'ID',
    meta: { num: true },
    cell: (c) => <a href={routeHref({ page: 'run', runId: c.getValue() })}>{c.getValue()}</a>,
  }),
  col.accessor('name', {
    header: 'Name',
    sortingFn: 'alphanumeric',
    cell: (c) => {
      const r = c.row.original;
      return (
        <>
          <a href={routeHref({ page: 'run', runId: r.id })} className="run-name">
            {r.name}
          </a>
          {SHOWS_ERROR.has(r.status) && (
            <span className="run-error" data-testid={`run-error-${r.id}`}>
              {r.error ?? MISSING}
            </span>
          )}
        </>
      );
    },
  }),
  col.accessor('method', { header: 'Method' }),
  col.accessor((r) => baseName(r.baseModel), {
    id: 'baseModel',
    header: 'Base model',
    cell: (c) => <span title={c.row.original.baseModel}>{c.getValue()}</span>,
  }),
  numeric('rank', 'Rank', (v) => (v === null ? MISSING : String(v))),
  col.accessor('status', { header: 'Status', cell: (c) => <StatusBadge status={c.getValue()} /> }),
  numeric('bestEvalLoss', 'Best eval loss', formatLoss),
  numeric('durationMs', 'Duration', (v) => formatDuration(v === null ? null : v / 1000)),
  numeric('adapterBytes', 'Adapter size', formatBytes),
  col.accessor((r) => r.tags.join(', '), {
    id: 'tags',
    header: 'Tags',
    cell: (c) => (
      <ul className="tags">
        {c.row.original.tags.map((t) => (
          <li key={t} className="tag">
            {t}
          </li>
        ))}
      </ul>
    ),
  }),
  numeric('lastStep', 'Step', formatInteger),
  col.accessor('createdAt', { header: 'Created', cell: (c) => <span className="nowrap">{formatTimestamp(c.getValue())}</span> }),
];

declare module '@tanstack/react-table' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData, TValue> {
    num?: boolean;
  }
}
