import { useMemo, useState } from 'react';
import { ChartControls } from '../../components/chart/ChartControls';
import { MetricChart } from '../../components/chart/MetricChart';
import { formatInteger } from '../../lib/format';
import type { ReducedSeries } from './chart-points';
import type { MetricSeries } from './metrics-merge';
import { metricLabel, runCharts } from './run-charts';

/** Every metric of the run, live, on charts whose cursors move together. */
export function RunCharts(props: {
  metrics: MetricSeries;
  runId: number;
  reduced?: readonly ReducedSeries[];
  onLoadAll?: () => void;
  /** The run ended without a recorded step: the charts say so instead of waiting. */
  endedEmpty?: boolean;
}) {
  const { metrics, runId, reduced = [], onLoadAll, endedEmpty = false } = props;
  const [log, setLog] = useState(false);
  const [smoothing, setSmoothing] = useState(0);
  const specs = useMemo(() => runCharts(metrics), [metrics]);
  return (
    <section className="card" aria-labelledby="charts-title">
      <div className="card-head">
        <h2 id="charts-title">Metrics</h2>
        <ChartControls log={log} onLog={setLog} smoothing={smoothing} onSmoothing={setSmoothing} />
      </div>
      <p className="muted small-note">Drag across a chart to zoom, double-click to reset; focus a chart and use ←/→, + and −, 0 from the keyboard.</p>
      {reduced.length > 0 && (
        <p className="muted small-note" data-testid="charts-reduced">
          Long history drawn from the first, last, lowest and highest point of each step range (every spike kept):{' '}
          {reduced.map((r) => `${metricLabel(r.name)} ${formatInteger(r.shown)} of ${formatInteger(r.total)}`).join(', ')} points.{' '}
          {onLoadAll && (
            <button type="button" className="button small" onClick={onLoadAll} data-testid="charts-load-all">
              Load every point
            </button>
          )}
        </p>
      )}
      <div className="chart-grid">
        {specs.map((spec) => (
          <MetricChart
            key={spec.id}
            testId={spec.id}
            title={spec.title}
            series={spec.series}
            xLabel="step"
            formatX={formatInteger}
            integerX
            log={log}
            smoothing={smoothing}
            syncKey={`run-${runId}`}
            emptyText={endedEmpty ? 'no step was recorded: the run ended before its first step' : undefined}
          />
        ))}
      </div>
    </section>
  );
}
