import { useMemo } from 'react';
import { METRIC } from '../../../shared/ipc/metric-names';
import type { RunDetail } from '../../../shared/ipc/schemas';
import { MetricChart, type ChartSeries } from '../../components/chart/MetricChart';
import { formatDuration, formatInteger } from '../../lib/format';
import type { MetricSeries } from '../run/metrics-merge';
import { metricOnX, X_LABELS, type XMode } from './compare-data';

const CHARTS: readonly { id: string; title: string; name: string; eval?: boolean }[] = [
  { id: 'compare-loss', title: 'Train loss', name: METRIC.loss },
  { id: 'compare-eval-loss', title: 'Eval loss', name: METRIC.evalLoss, eval: true },
  { id: 'compare-lr', title: 'Learning rate', name: METRIC.lr },
  { id: 'compare-grad-norm', title: 'Gradient norm', name: METRIC.gradNorm },
  { id: 'compare-tokens-per-second', title: 'Tokens/s', name: METRIC.tokensPerSecond },
];

/** One chart per metric, one line per run, on the chosen x. */
export function CompareCharts(props: { runs: readonly RunDetail[]; metrics: readonly MetricSeries[]; xMode: XMode; log: boolean; smoothing: number }) {
  const { runs, metrics, xMode, log, smoothing } = props;
  const charts = useMemo(
    () =>
      CHARTS.map((c) => ({
        ...c,
        series: runs.map<ChartSeries>((run, i) => ({
          label: `#${run.id} ${run.name}`,
          data: metricOnX(metrics[i]!, c.name, xMode),
          color: i,
          markers: c.eval,
        })),
      })).filter((c) => c.series.some((s) => s.data.xs.length > 0) || c.name === METRIC.loss),
    [runs, metrics, xMode],
  );
  const formatX = xMode === 'time' ? (s: number) => formatDuration(s) : formatInteger;
  return (
    <div className="chart-grid">
      {charts.map((c) => (
        <MetricChart
          key={c.id}
          testId={c.id}
          title={c.title}
          series={c.series}
          xLabel={X_LABELS[xMode]}
          formatX={formatX}
          integerX={xMode !== 'time'}
          log={log}
          smoothing={c.eval ? 0 : smoothing}
          syncKey="compare"
          emptyText="no points recorded"
        />
      ))}
    </div>
  );
}
