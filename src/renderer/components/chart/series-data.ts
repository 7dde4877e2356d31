// The arithmetic behind MetricChart, apart from React and the canvas so it is
// tested without a DOM: series on one shared x axis (uPlot draws "aligned" data,
// one x array and one y array per series), smoothing, log-scale safety and the
// value of a series at a hovered x.

/** One series as two parallel arrays, x ascending. */
export interface XYSeries {
  xs: readonly number[];
  ys: readonly number[];
}

/** uPlot's AlignedData: the union of every series' x, then each series' y (null where it has no point). */
export type Aligned = [xs: number[], ...ys: (number | null)[][]];

/** The sorted union of two ascending arrays, each value once. */
function unionSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const va = i < a.length ? a[i]! : Infinity;
    const vb = j < b.length ? b[j]! : Infinity;
    const v = va <= vb ? va : vb;
    if (va === v) i++;
    if (vb === v) j++;
    if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
  }
  return out;
}

function sameArray(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Puts every series on the union of their x values. A series with no point at some x
 * gets null there, which the chart bridges (eval loss every 50 steps still draws as
 * a line next to a per-step training loss). Runs that share their steps (the usual
 * comparison) take a fast path that copies nothing but the y arrays.
 */
export function alignSeries(series: readonly XYSeries[]): Aligned {
  if (series.length === 0) return [[]];
  let xs: readonly number[] = series[0]!.xs;
  for (let s = 1; s < series.length; s++) {
    if (!sameArray(xs, series[s]!.xs)) xs = unionSorted(xs, series[s]!.xs);
  }
  const union = xs.slice();
  const ys = series.map(({ xs: sx, ys: sy }) => {
    const out: (number | null)[] = new Array<number | null>(union.length).fill(null);
    if (sx === xs || sameArray(sx, union)) {
      for (let i = 0; i < sy.length; i++) out[i] = finite(sy[i]!);
      return out;
    }
    let k = 0;
    for (let i = 0; i < sx.length; i++) {
      while (union[k]! < sx[i]!) k++;
      out[k] = finite(sy[i]!);
    }
    return out;
  });
  return [union, ...ys];
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * Exponential moving average with TensorBoard's debiasing (the scalar dashboard's
 * smoothing slider, tensorboard/plugins/scalar: `resmoothDataset`): the running
 * average starts at 0 and is divided by 1 − weight^n, so the first points are not
 * pulled towards zero. weight 0 returns the values unchanged; nulls stay null.
 */
export function smoothEma(ys: readonly (number | null)[], weight: number): (number | null)[] {
  if (!(weight > 0)) return ys.slice();
  const w = Math.min(weight, 0.999);
  let last = 0;
  let n = 0;
  return ys.map((y) => {
    if (y === null || !Number.isFinite(y)) return null;
    last = last * w + (1 - w) * y;
    n++;
    return last / (1 - w ** n);
  });
}

/** A log axis cannot place zero or a negative value: those become gaps instead of errors. */
export function positiveOnly(ys: readonly (number | null)[]): (number | null)[] {
  return ys.map((y) => (y !== null && y > 0 ? y : null));
}

/** Index of the x closest to `x` in an ascending array (ties go to the earlier one), or -1 when empty. */
export function nearestIndex(xs: readonly number[], x: number): number {
  if (xs.length === 0) return -1;
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && x - xs[lo - 1]! <= xs[lo]! - x) return lo - 1;
  return lo;
}

/**
 * What the readout shows for one series at a hovered x: its last point at or before
 * x (a sparse eval series reads its latest evaluation, not a blank), or null when
 * the series has not started yet.
 */
export function valueAtOrBefore(series: XYSeries, x: number): { x: number; y: number } | null {
  const { xs, ys } = series;
  let lo = 0;
  let hi = xs.length; // first index with xs > x
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0; i--) if (Number.isFinite(ys[i]!)) return { x: xs[i]!, y: ys[i]! };
  return null;
}

/**
 * A series' readout at a hovered x. `measured`: the value was recorded there — the
 * point at x itself, or, for a dense series (a value every step), the line between
 * its points while x is inside its range. A sparse series (eval loss every N steps)
 * between its points, or any series past its end, is not measured at x: the readout
 * says so and names the x its latest value is from, instead of passing that value
 * off as the one at x.
 */
export function readoutAt(series: XYSeries, x: number, sparse: boolean): { x: number; y: number; measured: boolean } | null {
  const p = valueAtOrBefore(series, x);
  if (!p) return null;
  const last = series.xs[series.xs.length - 1]!;
  return { ...p, measured: p.x === x || (!sparse && x <= last) };
}

/** A zoom step around a centre: factor < 1 zooms in, > 1 out, clamped to the data's range. */
export function zoomRange(
  current: { min: number; max: number },
  centre: number,
  factor: number,
  bounds: { min: number; max: number },
): { min: number; max: number } {
  const span = Math.max(1e-9, (current.max - current.min) * factor);
  const full = bounds.max - bounds.min;
  if (span >= full) return { ...bounds };
  const c = Math.min(Math.max(centre, current.min), current.max);
  const t = (c - current.min) / (current.max - current.min || 1);
  let min = c - t * span;
  let max = min + span;
  if (min < bounds.min) [min, max] = [bounds.min, bounds.min + span];
  if (max > bounds.max) [min, max] = [bounds.max - span, bounds.max];
  return { min, max };
}
