import {
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type RowSelectionState,
  type SortingState,
} from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import type { RunSummary } from '../../../shared/ipc/schemas';
import { runColumns, searchRuns } from './run-columns';
import { RunsToolbar } from './RunsToolbar';

/** The run list: sort by any column (click or Enter on its header), search, filter by tag and status, select to act. */
export function RunsTable({ runs, onChanged }: { runs: readonly RunSummary[]; onChanged: () => void }) {
  const [sorting, setSorting] = useState<SortingState>([{ id: 'id', desc: true }]);
  const [search, setSearch] = useState('');
  const [tag, setTag] = useState('');
  const [status, setStatus] = useState('');
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});

  const data = useMemo(
    () => runs.filter((r) => (tag === '' || r.tags.includes(tag)) && (status === '' || r.status === status)),
    [runs, tag, status],
  );
  const allTags = useMemo(() => [...new Set(runs.flatMap((r) => r.tags))].sort(), [runs]);

  const table = useReactTable({
    data: data as RunSummary[],
    columns: runColumns,
    state: { sorting, globalFilter: search, rowSelection },
    getRowId: (r) => String(r.id),
    onSortingChange: setSorting,
    onGlobalFilterChange: setSearch,
    onRowSelectionChange: setRowSelection,
    globalFilterFn: searchRuns,
    enableRowSelection: true,
    getCoreRowModel: getCoreRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });

  // Selection survives filtering, but only runs that still exist count.
  const selected = runs.filter((r) => rowSelection[String(r.id)]);
  const rows = table.getRowModel().rows;
  const visibleSelected = rows.filter((r) => r.getIsSelected()).length;

  return (
    <>
      <div className="filters" role="search">
        <label>
          <span className="sr-only">Search runs</span>
          <input type="search" placeholder="Search name, model, tag…" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="runs-search" />
        </label>
        <label>
          Tag{' '}
          <select value={tag} onChange={(e) => setTag(e.target.value)} data-testid="runs-tag-filter">
            <option value="">any</option>
            {allTags.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="runs-status-filter">
            <option value="">any</option>
            {['queued', 'running', 'completed', 'stopped', 'failed', 'crashed'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <span className="muted" data-testid="runs-shown">
          {rows.length} of {runs.length} runs
        </span>
      </div>
      <RunsToolbar selected={selected} onDone={(removed) => {
        if (removed) setRowSelection({});
        onChanged();
      }} />
      <div className="table-scroll">
        <table className="table runs-table" data-testid="runs-table" data-count={rows.length}>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                <th className="select-cell">
                  <input
                    type="checkbox"
                    aria-label="Select all shown runs"
                    checked={rows.length > 0 && visibleSelected === rows.length}
                    ref={(el) => {
                      if (el) el.indeterminate = visibleSelected > 0 && visibleSelected < rows.length;
                    }}
                    onChange={table.getToggleAllRowsSelectedHandler()}
                    data-testid="select-all"
                  />
                </th>
                {group.headers.map((h) => {
                  const sorted = h.column.getIsSorted();
                  return (
                    <th key={h.id} className={h.column.columnDef.meta?.num ? 'num' : undefined} data-col={h.id} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
                      <button type="button" className="sort-button" onClick={h.column.getToggleSortingHandler()} data-testid={`sort-${h.id}`}>
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        {sorted && (
                          <span className="sort-mark" aria-hidden="true">
                            {/* A no-break space keeps the mark with the last word when the header wraps. */}
                            {'\u00a0'}
                            {sorted === 'asc' ? '▲' : '▼'}
                          </span>
                        )}
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr className="empty-row">
                <td colSpan={runColumns.length + 1}>
                  {runs.length === 0 ? (
                    <>
                      No runs yet. Start one with <a href="#/new">New run</a>.
                    </>
                  ) : (
                    'No run matches the search and filters.'
                  )}
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={row.id} data-testid={`run-row-${row.id}`} data-status={row.original.status} aria-selected={row.getIsSelected()}>
                  <td className="select-cell">
                    <input
                      type="checkbox"
                      aria-label={`Select run ${row.original.id} ${row.original.name}`}
                      checked={row.getIsSelected()}
                      onChange={row.getToggleSelectedHandler()}
                      data-testid={`select-${row.id}`}
                    />
                  </td>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className={cell.column.columnDef.meta?.num ? 'num' : undefined} data-col={cell.column.id}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
