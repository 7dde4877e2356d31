// The arithmetic of the compare page, apart from React: a metric on a common x
// (step, tokens seen or wall time), the config keys whose values differ, the
// summary row of each run, and the CSV of it all.
import type { RunDetail } from '../../../shared/ipc/schemas';
import { METRIC } from '../../../shared/ipc/metric-names';
import type { XYSeries } from '../../components/chart/series-data';
import type { MetricSeries, SeriesPoint } from '../run/metrics-merge';

export type XMode = 'step' | 'tokens' | 'time';

export const X_LABELS: Record<XMode, string> = { step: 'step', tokens: 'tokens seen', time: 'wall time (s)' };

/** The run's tokens seen after each step: the running sum of its per-step `tokens` metric. */
export function tokensSeen(tokens: readonly SeriesPoint[]): Map<number, number> {
  const out = new Map<number, number>();
  let sum = 0;
  for (const p of tokens) {
    sum += p.value;
    out.set(p.step, sum);
  }
  return out;
}

/**
 * One metric of one run on the chosen x. Wall time counts seconds from the run's
 * first recorded point; tokens seen needs the run's `tokens` metric (points without
 * a count at their step are left out rather than guessed).
 */
export function metricOnX(metrics: MetricSeries, name: string, mode: XMode): XYSeries {
  const points = metrics.get(name) ?? [];
  if (mode === 'step') return { xs: points.map((p) => p.step), ys: points.map((p) => p.value) };
  if (mode === 'time') {
    const t0 = firstWallTime(metrics);
    return { xs: points.map((p) => (p.wallTime - t0) / 1000), ys: points.map((p) => p.value) };
  }
  const seen = tokensSeen(metrics.get(METRIC.tokens) ?? []);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const p of points) {
    const x = seen.get(p.step);
    if (x === undefined) continue;
    // Equal x (a run that stopped and resumed at the same count) would break the ascending order.
    if (xs.length && x <= xs[xs.length - 1]!) continue;
    xs.push(x);
    ys.push(p.value);
  }
  return { xs, ys };
}

function firstWallTime(metrics: MetricSeries): number {
  let t0 = Infinity;
  for (const points of metrics.values()) for (const p of points) if (p.wallTime < t0) t0 = p.wallTime;
  return Number.isFinite(t0) ? t0 : 0;
}

/** Whether every run can be placed on `mode` (tokens seen needs the per-step token count). */
export function supportsX(all: readonly MetricSeries[], mode: XMode): boolean {
  return mode !== 'tokens' || all.every((m) => (m.get(METRIC.tokens)?.length ?? 0) > 0);
}

/** A config as dotted keys → each leaf as text: strings as they are, anything else as JSON (arrays are leaves). */
export function flattenConfig(config: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (config !== null && typeof config === 'object' && !Array.isArray(config)) {
    for (const [k, v] of Object.entries(config as Record<string, unknown>)) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, typeof config === 'string' ? config : JSON.stringify(config));
  return out;
}

export interface DiffRow {
  key: string;
  /** One per run: the JSON text, or undefined where the run's config has no such key. */
  values: (string | undefined)[];
}

/** The keys whose value is not the same in every run, in key order. */
export function configDiff(configs: readonly Record<string, unknown>[]): DiffRow[] {
  const flat = configs.map((c) => flattenConfig(c));
  const keys = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
  return keys
    .map((key) => ({ key, values: flat.map((f) => f.get(key)) }))
    .filter((row) => row.values.some((v) => v !== row.values[0]));
}

export interface SummaryRow {
  runId: number;
  name: string;
  method: string;
  status: string;
  bestEvalLoss: number | null;
  finalEvalLoss: number | null;
  finalLoss: number | null;
  durationMs: number | null;
  tokensPerSecond: number | null;
  trainableParams: number | null;
  adapterBytes: number | null;
  /** The largest memory figure the run recorded (any metric in bytes), or null. */
  peakMemoryBytes: number | null;
}

const last = (points: readonly SeriesPoint[] | undefined) => points?.[points.length - 1]?.value ?? null;

export function summaryRow(run: RunDetail, metrics: MetricSeries): SummaryRow {
  const evals = metrics.get(METRIC.evalLoss) ?? [];
  let best: number | null = null;
  for (const p of evals) if (best === null || p.value < best) best = p.value;
  let peak: number | null = null;
  for (const p of metrics.get(METRIC.peakRssBytes) ?? []) if (peak === null || p.value > peak) peak = p.value;
  return {
    runId: run.id,
    name: run.name,
    method: run.method,
    status: run.status,
    bestEvalLoss: run.bestEvalLoss ?? best,
    finalEvalLoss: last(evals),
    finalLoss: last(metrics.get(METRIC.loss)),
    durationMs: run.durationMs,
    // The engine's tokens_per_second is the average since the process started; its last value is the run's pace.
    tokensPerSecond: last(metrics.get(METRIC.tokensPerSecond)),
    trainableParams: run.trainableParams,
    adapterBytes: run.adapterBytes,
    peakMemoryBytes: peak,
  };
}

const SUMMARY_COLUMNS: readonly [keyof SummaryRow, string][] = [
  ['runId', 'run_id'],
  ['name', 'name'],
  ['method', 'method'],
  ['status', 'status'],
  ['bestEvalLoss', 'best_eval_loss'],
  ['finalEvalLoss', 'final_eval_loss'],
  ['finalLoss', 'final_train_loss'],
  ['durationMs', 'duration_ms'],
  ['tokensPerSecond', 'tokens_per_second'],
  ['trainableParams', 'trainable_params'],
  ['adapterBytes', 'adapter_bytes'],
  ['peakMemoryBytes', 'peak_memory_bytes'],
];

/** RFC 4180: quote a field that holds a comma, quote or line break; double inner quotes. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per run: the summary, then every config key that differs (as JSON text). */
export function comparisonCsv(rows: readonly SummaryRow[], diff: readonly DiffRow[]): string {
  const header = [...SUMMARY_COLUMNS.map(([, h]) => h), ...diff.map((d) => `config.${d.key}`)];
  const lines = [header.map(csvField).join(',')];
  rows.forEach((row, i) => {
    const cells = [...SUMMARY_COLUMNS.map(([k]) => row[k]), ...diff.map((d) => d.values[i])];
    lines.push(cells.map(csvField).join(','));
  });
  return lines.join('\r\n') + '\r\n';
}
