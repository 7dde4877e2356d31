// The arithmetic of LossChart, apart from React so it is tested without a DOM:
// nice tick values, linear scales, min/max downsampling and nearest-point lookup.

export interface StepValue {
  step: number;
  value: number;
}

export interface Ticks {
  /** The nice bounds that enclose the data: start <= min, stop >= max. */
  start: number;
  stop: number;
  step: number;
  values: number[];
}

/** A round step (1, 2 or 5 times a power of ten) that cuts `span` into at most ~`count` parts. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normalized = raw / magnitude;
  const nice = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10;
  return nice * magnitude;
}

/** Ticks for [min, max]; `integer` keeps the step a whole number (for training steps). */
export function niceTicks(min: number, max: number, count = 5, options: { integer?: boolean } = {}): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { start: 0, stop: 1, step: 1, values: [0, 1] };
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (lo === hi) {
    // A flat line still needs an axis around it.
    const pad = options.integer ? 1 : lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  let step = niceStep(hi - lo, count);
  if (options.integer) step = Math.max(1, Math.round(step));
  const start = Math.floor(lo / step) * step;
  const stop = Math.ceil(hi / step) * step;
  const n = Math.round((stop - start) / step);
  const values: number[] = [];
  // Multiply rather than accumulate, and trim float noise (0.30000000000000004).
  for (let i = 0; i <= n; i++) values.push(Number((start + i * step).toPrecision(12)) + 0);
  return { start: values[0] ?? start, stop: values[values.length - 1] ?? stop, step, values };
}

/** Enough decimals to tell neighbouring ticks apart, and no more. */
export function formatTick(value: number, step: number): string {
  const decimals = step > 0 && step < 1 ? Math.min(10, Math.ceil(-Math.log10(step) - 1e-9)) : 0;
  return (value + 0).toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export interface Scale {
  (value: number): number;
  invert(pixel: number): number;
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const dd = d1 - d0;
  const rr = r1 - r0;
  const scale = ((v: number) => (dd === 0 ? (r0 + r1) / 2 : r0 + ((v - d0) / dd) * rr)) as Scale;
  scale.invert = (p: number) => (rr === 0 ? d0 : d0 + ((p - r0) / rr) * dd);
  return scale;
}

/**
 * Keeps, per x bucket (one per pixel column), the first, lowest, highest and last point
 * (the M4 reduction): the drawn line is the same as with every point, at a cost bounded
 * by the chart width instead of the run length. `points` must ascend by step; the result
 * is a subsequence of it, in the same order.
 */
export function downsampleMinMax<P extends StepValue>(
  points: readonly P[],
  buckets: number,
  domain: readonly [number, number] = [points[0]?.step ?? 0, points[points.length - 1]?.step ?? 0],
): P[] {
  const n = Math.max(1, Math.floor(buckets));
  if (points.length <= n * 4) return points.slice();
  const [x0, x1] = domain;
  const span = x1 - x0 || 1;
  const out: P[] = [];
  let bucket = -1;
  let first = 0;
  let lowest = 0;
  let highest = 0;
  let last = 0;
  const flush = () => {
    if (bucket < 0) return;
    const keep = [...new Set([first, lowest, highest, last])].sort((a, b) => a - b);
    for (const i of keep) out.push(points[i]!);
  };
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const b = Math.min(n - 1, Math.max(0, Math.floor(((p.step - x0) / span) * n)));
    if (b !== bucket) {
      flush();
      bucket = b;
      first = lowest = highest = last = i;
      continue;
    }
    last = i;
    if (p.value < points[lowest]!.value) lowest = i;
    if (p.value > points[highest]!.value) highest = i;
  }
  flush();
  return out;
}

/** The point whose step is closest to `step` (ties go to the earlier one); `points` ascend by step. */
export function nearestByStep<P extends StepValue>(points: readonly P[], step: number): P | undefined {
  if (points.length === 0) return undefined;
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.step < step) lo = mid + 1;
    else hi = mid;
  }
  const after = points[lo]!;
  const before = points[lo - 1];
  if (before && step - before.step <= after.step - step) return before;
  return after;
}

/** An SVG path through the points; a non-finite value breaks the line instead of plunging it. */
export function linePath(points: readonly StepValue[], x: (v: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!Number.isFinite(p.value)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(p.step).toFixed(1)},${y(p.value).toFixed(1)}`;
    pen = true;
  }
  return d;
}
