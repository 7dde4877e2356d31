// How many points per series a chart needs. runs.metrics reduces a longer series to
// the first, last, lowest and highest point of each step range (M4), four per range;
// two points per device pixel of the widest chart this window can hold is then one
// range per two pixels, which draws what every point would. Live points arriving
// after the first read are added exactly.
import type { MetricSeriesColumns } from '../../../shared/ipc/metric-series';

const MIN_POINTS = 1000;

export function chartMaxPoints(width = window.innerWidth, pixelRatio = window.devicePixelRatio): number {
  const px = Math.round((width || 1280) * (pixelRatio || 1));
  return Math.max(MIN_POINTS, 2 * px);
}

/** A series drawn from fewer points than the registry holds. */
export interface ReducedSeries {
  name: string;
  shown: number;
  total: number;
}

export function reducedSeries(columns: readonly MetricSeriesColumns[]): ReducedSeries[] {
  return columns.filter((c) => c.total > c.steps.length).map((c) => ({ name: c.name, shown: c.steps.length, total: c.total }));
}
