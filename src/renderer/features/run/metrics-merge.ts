// The live curve of a run is assembled from two sources that overlap: the history read
// with runs.metrics and the points pushed by onMetrics (some before, some after that
// read). Merging by (name, step), later points replacing earlier ones, makes the result
// independent of how the two interleave, so nothing is lost or doubled on reload.
// Contract values ('Infinity' / '-Infinity' for non-finite ones) become numbers
// here, once, so charts see ±Infinity and break the line there.
import { fromContractValues, type MetricSeriesColumns } from '../../../shared/ipc/metric-series';
import { metricNumber, type MetricPoint, type RecordedMetricPoint } from '../../../shared/ipc/schemas';

/** A point of a series: the value as a number (±Infinity where the metric overflowed). */
export type SeriesPoint = RecordedMetricPoint;

/** Points per metric name, each list strictly ascending by step. */
export type MetricSeries = ReadonlyMap<string, readonly SeriesPoint[]>;

export const EMPTY_SERIES: MetricSeries = new Map();

export function mergeMetricPoints(series: MetricSeries, incoming: readonly MetricPoint[]): MetricSeries {
  if (incoming.length === 0) return series;
  const byName = new Map<string, SeriesPoint[]>();
  for (const c of incoming) {
    const p: SeriesPoint = { ...c, value: metricNumber(c.value) };
    const list = byName.get(p.name);
    if (list) list.push(p);
    else byName.set(p.name, [p]);
  }
  const next = new Map(series);
  for (const [name, points] of byName) next.set(name, mergeSeries(series.get(name) ?? [], points));
  return next;
}

/** runs.metrics' columns merged in like pushed points (by name and step). */
export function mergeMetricColumns(series: MetricSeries, columns: readonly MetricSeriesColumns[]): MetricSeries {
  if (columns.length === 0) return series;
  const next = new Map(series);
  for (const c of columns) {
    const values = fromContractValues(c.values);
    const points = c.steps.map((step, i): SeriesPoint => ({ step, name: c.name, value: values[i]!, wallTime: c.wallTimes[i]! }));
    next.set(c.name, mergeSeries(next.get(c.name) ?? [], points));
  }
  return next;
}

/** Merges `incoming` (any order, may repeat steps) into a strictly ascending series. */
export function mergeSeries(existing: readonly SeriesPoint[], incoming: readonly SeriesPoint[]): SeriesPoint[] {
  const fresh = ascendingUnique(incoming);
  const last = existing[existing.length - 1];
  const first = fresh[0];
  // The common live case: new steps after the last one, appended without a sort.
  if (!last || (first && first.step > last.step)) return existing.concat(fresh);
  const byStep = new Map<number, SeriesPoint>();
  for (const p of existing) byStep.set(p.step, p);
  for (const p of fresh) byStep.set(p.step, p);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

function ascendingUnique(points: readonly SeriesPoint[]): SeriesPoint[] {
  let ascending = true;
  for (let i = 1; i < points.length && ascending; i++) ascending = points[i]!.step > points[i - 1]!.step;
  if (ascending) return points.slice();
  const byStep = new Map<number, SeriesPoint>();
  for (const p of points) byStep.set(p.step, p);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}
