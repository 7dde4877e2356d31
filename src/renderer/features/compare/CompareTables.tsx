import type { RunDetail } from '../../../shared/ipc/schemas';
import { formatBytes } from '../../lib/bytes';
import { formatDuration, formatInteger, formatLoss, formatRate } from '../../lib/format';
import { routeHref } from '../../route';
import type { DiffRow, SummaryRow } from './compare-data';

export function SummaryTable({ rows }: { rows: readonly SummaryRow[] }) {
  return (
    <div className="table-scroll">
      <table className="table compact" data-testid="compare-summary">
        <thead>
          <tr>
            <th>Run</th>
            <th>Method</th>
            <th className="num">Best eval loss</th>
            <th className="num">Final eval loss</th>
            <th className="num">Time</th>
            <th className="num">Tokens/s</th>
            <th className="num">Trainable params</th>
            <th className="num">Adapter size</th>
            <th className="num">Peak memory</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.runId} data-testid={`summary-${r.runId}`}>
              <td>
                <span className={`run-swatch swatch-${i}`} aria-hidden="true" />
                <a href={routeHref({ page: 'run', runId: r.runId })}>
                  #{r.runId} {r.name}
                </a>
              </td>
              <td>{r.method}</td>
              <td className="num" data-col="best-eval">{formatLoss(r.bestEvalLoss)}</td>
              <td className="num">{formatLoss(r.finalEvalLoss)}</td>
              <td className="num">{formatDuration(r.durationMs === null ? null : r.durationMs / 1000)}</td>
              <td className="num">{formatRate(r.tokensPerSecond)}</td>
              <td className="num">{formatInteger(r.trainableParams)}</td>
              <td className="num">{formatBytes(r.adapterBytes)}</td>
              <td className="num">{formatBytes(r.peakMemoryBytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ConfigDiffTable({ runs, diff }: { runs: readonly RunDetail[]; diff: readonly DiffRow[] }) {
  if (diff.length === 0) return <p className="muted" data-testid="config-diff-empty">The configs are identical.</p>;
  return (
    <div className="table-scroll">
      <table className="table compact config-diff" data-testid="config-diff" data-keys={diff.map((d) => d.key).join(',')}>
        <thead>
          <tr>
            <th>Key</th>
            {runs.map((r, i) => (
              <th key={r.id}>
                <span className={`run-swatch swatch-${i}`} aria-hidden="true" />#{r.id}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {diff.map((d) => (
            <tr key={d.key} data-key={d.key}>
              <th scope="row">
                <code>{d.key}</code>
              </th>
              {d.values.map((v, i) => (
                <td key={i} className={v === undefined ? 'muted' : undefined}>
                  {v === undefined ? 'not set' : <code>{v}</code>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
