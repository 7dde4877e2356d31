// Which charts a run page draws from the metrics in the registry: the five the
// engine writes for every run (src/main/engine/process.ts: loss, eval_loss, lr,
// grad_norm, tokens_per_second), then one chart for any other metric it finds
// (eval perplexity, a method's own numbers), so nothing recorded stays hidden.
import type { MetricSeries, SeriesPoint } from './metrics-merge';
import { METRIC } from '../../../shared/ipc/metric-names';
import type { ChartSeries } from '../../components/chart/MetricChart';
import type { XYSeries } from '../../components/chart/series-data';

export interface ChartSpec {
  id: string;
  title: string;
  series: ChartSeries[];
}

const cache = new WeakMap<readonly SeriesPoint[], XYSeries>();

/** Steps and values of one metric as parallel arrays (cached per merged list, which is immutable). */
export function toXY(points: readonly SeriesPoint[]): XYSeries {
  let xy = cache.get(points);
  if (!xy) {
    xy = { xs: points.map((p) => p.step), ys: points.map((p) => p.value) };
    cache.set(points, xy);
  }
  return xy;
}

const FIXED: readonly { id: string; title: string; names: readonly string[] }[] = [
  { id: 'chart-loss', title: 'Loss', names: [METRIC.loss, METRIC.evalLoss] },
  { id: 'chart-lr', title: 'Learning rate', names: [METRIC.lr] },
  { id: 'chart-grad-norm', title: 'Gradient norm', names: [METRIC.gradNorm] },
  { id: 'chart-tokens-per-second', title: 'Tokens/s', names: [METRIC.tokensPerSecond] },
];

const LABELS: Record<string, string> = {
  [METRIC.loss]: 'train loss',
  [METRIC.evalLoss]: 'eval loss',
  [METRIC.lr]: 'learning rate',
  [METRIC.gradNorm]: 'grad norm',
  [METRIC.tokensPerSecond]: 'tokens/s',
  [METRIC.evalPerplexity]: 'eval perplexity',
  [METRIC.tokens]: 'tokens per step',
  [METRIC.orthReg]: 'orthogonal regularization',
  [METRIC.adaloraBudget]: 'AdaLoRA rank budget',
  [METRIC.peakRssBytes]: 'engine peak memory (RSS)',
  [METRIC.quantizedBaseBytes]: 'NF4 base, resident',
  [METRIC.quantizedBaseFloat32Bytes]: 'the same weights in float32',
};

/** Metric names that hold a memory figure in bytes: shown as figures (MemoryCard), not charted. */
export const MEMORY_METRIC = /(memory|resident|rss|bytes)/i;

export const metricLabel = (name: string): string => LABELS[name] ?? name.replace(/_/g, ' ');

/** Eval metrics are sparse (every eval_every steps): dashed, with a marker per point. */
const isEval = (name: string) => name.startsWith('eval_');

export function runCharts(metrics: MetricSeries): ChartSpec[] {
  const used = new Set<string>();
  const specs: ChartSpec[] = FIXED.map(({ id, title, names }) => ({
    id,
    title,
    series: names.map((name, i) => {
      used.add(name);
      return { label: metricLabel(name), data: toXY(metrics.get(name) ?? []), color: i, dashed: isEval(name), markers: isEval(name) };
    }),
  }));
  const others = [...metrics.keys()].filter((n) => !used.has(n) && !MEMORY_METRIC.test(n)).sort();
  for (const name of others) {
    specs.push({
      id: `chart-${name.replace(/[^\w-]/g, '-')}`,
      // A title like the fixed ones ("Eval perplexity"); the legend keeps the metric's own label.
      title: metricLabel(name).replace(/^./, (c) => c.toUpperCase()),
      series: [{ label: metricLabel(name), data: toXY(metrics.get(name)!), color: 2, dashed: isEval(name), markers: isEval(name) }],
    });
  }
  return specs;
}
