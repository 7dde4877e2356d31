// Turns metric series into what LossChart draws: which series, the plot box, scales,
// ticks and (downsampled) paths. Pure, so it is tested without a DOM.
import {
  downsampleMinMax,
  linePath,
  linearScale,
  niceTicks,
  type Scale,
  type StepValue,
  type Ticks,
} from './chart-math';

/** Past this many points a series is reduced to a few per pixel column before drawing. */
export const MAX_DRAWN_POINTS = 2000;

export const MARGIN = { top: 12, right: 18, bottom: 34, left: 64 } as const;

export type SeriesEntry = readonly [name: string, points: readonly StepValue[]];

export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface SeriesLayout {
  name: string;
  points: readonly StepValue[];
  drawn: readonly StepValue[];
  path: string;
}

export interface ChartLayout {
  box: PlotBox;
  x: Scale;
  y: Scale;
  xTicks: Ticks;
  yTicks: Ticks;
  series: SeriesLayout[];
  empty: boolean;
}

/**
 * The series a loss chart shows: every metric whose name mentions "loss", train `loss`
 * first. Other metrics (learning rate, grad norm) live on scales that would flatten
 * the loss curve if drawn on the same axis.
 */
export function lossSeries(series: ReadonlyMap<string, readonly StepValue[]>): SeriesEntry[] {
  return [...series.entries()]
    .filter(([name]) => /loss/i.test(name))
    .sort(([a], [b]) => (a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b)));
}

export function layoutChart(entries: readonly SeriesEntry[], width: number, height: number): ChartLayout {
  const box: PlotBox = {
    left: MARGIN.left,
    top: MARGIN.top,
    width: Math.max(10, width - MARGIN.left - MARGIN.right),
    height: Math.max(10, height - MARGIN.top - MARGIN.bottom),
  };

  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const [, points] of entries) {
    const first = points[0];
    const last = points[points.length - 1];
    if (!first || !last) continue;
    xMin = Math.min(xMin, first.step);
    xMax = Math.max(xMax, last.step);
    for (const p of points) {
      if (!Number.isFinite(p.value)) continue;
      if (p.value < yMin) yMin = p.value;
      if (p.value > yMax) yMax = p.value;
    }
  }
  const empty = !(xMin <= xMax);
  if (empty) {
    xMin = 0;
    xMax = 1;
  }
  if (!(yMin <= yMax)) {
    yMin = 0;
    yMax = 1;
  }

  // x spans the data exactly, so the curve uses the full width; y ends on nice values.
  const xDomain: [number, number] = xMin < xMax ? [xMin, xMax] : [Math.max(0, xMin - 1), xMax + 1];
  const xNice = niceTicks(xDomain[0], xDomain[1], Math.max(2, Math.floor(box.width / 90)), { integer: true });
  const xTicks: Ticks = { ...xNice, values: xNice.values.filter((v) => v >= xDomain[0] && v <= xDomain[1]) };
  const yTicks = niceTicks(yMin, yMax, Math.max(2, Math.floor(box.height / 48)));
  const x = linearScale(xDomain, [box.left, box.left + box.width]);
  const y = linearScale([yTicks.start, yTicks.stop], [box.top + box.height, box.top]);

  const series = entries.map(([name, points]) => {
    const drawn = points.length > MAX_DRAWN_POINTS ? downsampleMinMax(points, box.width, xDomain) : points;
    return { name, points, drawn, path: linePath(drawn, x, y) };
  });
  return { box, x, y, xTicks, yTicks, series, empty };
}
