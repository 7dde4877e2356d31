import { useEffect, useMemo, useState } from 'react';
import { ChartControls } from '../../components/chart/ChartControls';
import { ErrorMessage } from '../../components/ErrorMessage';
import { downloadBlob } from '../../lib/download';
import { CompareCharts } from './CompareCharts';
import { ConfigDiffTable, SummaryTable } from './CompareTables';
import { comparisonCsv, configDiff, summaryRow, supportsX, X_LABELS, type XMode } from './compare-data';
import { METRIC } from '../../../shared/ipc/metric-names';
import { useCompareRuns, useTokensSeen } from './useCompareRuns';

/** Two or more runs side by side: overlaid curves, what differs in their configs, and a summary. */
export function ComparePage({ runIds }: { runIds: number[] }) {
  const { data, error } = useCompareRuns(runIds);
  const [xMode, setXMode] = useState<XMode>('step');
  const [log, setLog] = useState(false);
  const [smoothing, setSmoothing] = useState(0);

  useEffect(() => {
    document.title = `Compare ${runIds.map((id) => `#${id}`).join(', ')} — LoRA Lab`;
  }, [runIds]);

  const diff = useMemo(() => (data ? configDiff(data.runs.map((r) => r.config)) : []), [data]);
  const summary = useMemo(() => (data ? data.runs.map((r, i) => summaryRow(r, data.metrics[i]!)) : []), [data]);
  const tokensOk = data ? supportsX(data.metrics, 'tokens') : false;
  const { tokens, error: tokensError } = useTokensSeen(runIds, xMode === 'tokens' && tokensOk);
  // On the tokens axis every run's exact per-step counts replace its reduced `tokens` series.
  const charted = useMemo(() => {
    if (!data || xMode !== 'tokens') return data?.metrics ?? null;
    if (!tokens) return null;
    return data.metrics.map((m, i) => new Map(m).set(METRIC.tokens, tokens[i]?.get(METRIC.tokens) ?? []));
  }, [data, tokens, xMode]);

  const exportCsv = () => {
    const csv = comparisonCsv(summary, diff);
    downloadBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `compare-runs-${runIds.join('-')}.csv`);
  };

  if (runIds.length < 2) {
    return (
      <div className="page" data-testid="compare-page">
        <h1>Compare runs</h1>
        <p>
          Select two or more runs on the <a href="#/">Runs</a> page and press Compare.
        </p>
      </div>
    );
  }

  return (
    <div className="page page-wide" data-testid="compare-page" data-ready={data ? 'true' : 'false'}>
      <p className="back">
        <a href="#/">← All runs</a>
      </p>
      <div className="page-header">
        <h1>Compare {runIds.length} runs</h1>
        <button type="button" className="button" onClick={exportCsv} disabled={!data} data-testid="export-csv">
          Export CSV
        </button>
      </div>
      {error && <ErrorMessage testId="compare-error">Could not load the runs: {error}</ErrorMessage>}
      {!data && !error && <p className="muted">Loading {runIds.length} runs…</p>}
      {data && (
        <>
          <section className="card" aria-labelledby="compare-charts-title">
            <div className="card-head">
              <h2 id="compare-charts-title">Curves</h2>
              <ChartControls log={log} onLog={setLog} smoothing={smoothing} onSmoothing={setSmoothing}>
                <label>
                  X axis{' '}
                  <select value={xMode} onChange={(e) => setXMode(e.target.value as XMode)} data-testid="compare-x">
                    {(['step', 'tokens', 'time'] as const).map((m) => (
                      <option key={m} value={m} disabled={m === 'tokens' && !tokensOk}>
                        {X_LABELS[m]}
                        {m === 'tokens' && !tokensOk ? ' (not recorded by every run)' : ''}
                      </option>
                    ))}
                  </select>
                </label>
              </ChartControls>
            </div>
            {tokensError && <ErrorMessage testId="compare-tokens-error">Could not read the token counts: {tokensError}</ErrorMessage>}
            {charted ? (
              <CompareCharts runs={data.runs} metrics={charted} xMode={xMode} log={log} smoothing={smoothing} />
            ) : (
              !tokensError && <p className="muted">Reading every run&apos;s token counts…</p>
            )}
          </section>
          <section className="card" aria-labelledby="compare-summary-title">
            <h2 id="compare-summary-title">Summary</h2>
            <SummaryTable rows={summary} />
          </section>
          <section className="card" aria-labelledby="compare-diff-title">
            <h2 id="compare-diff-title">Config differences ({diff.length} keys)</h2>
            <ConfigDiffTable runs={data.runs} diff={diff} />
          </section>
        </>
      )}
    </div>
  );
}
