// Fewer points for a chart without losing what a researcher looks for. A loss curve
// of 100,000 steps drawn 1,000 pixels wide gives each pixel column a hundred points;
// the line a plot draws through them is decided by the first, the last, the lowest
// and the highest of each column. Keeping those four per step bucket (M4: Jugel et
// al., "M4: A Visualization-Oriented Time Series Data Aggregation", VLDB 2014) draws
// the same picture as every point at that width: a spike or a divergence survives,
// where taking every n-th point or averaging a bucket hides it. The series' last
// point is always kept (the last bucket's last), and a series with no more points
// than asked is returned whole.

/** One series as parallel columns, ascending by step. */
export interface SeriesColumns {
  steps: number[];
  values: number[];
  wallTimes: number[];
}

/** A point as the registry reads it: [step, value, wallTime]. */
export type SeriesRow = readonly [step: number, value: number, wallTime: number];
type Point = SeriesRow;

interface Bucket {
  first: Point;
  last: Point;
  min: Point;
  max: Point;
}

/**
 * Takes the points of one series (ascending steps within [firstStep, lastStep]) one
 * at a time and keeps them all while there are at most maxPoints; beyond that, the
 * first, last, minimum and maximum of each of maxPoints / 4 equal step ranges.
 * Memory stays O(maxPoints) however long the series is.
 */
export class SeriesSampler {
  private readonly buckets: number;
  private readonly span: number;
  private readonly whole: SeriesColumns = { steps: [], values: [], wallTimes: [] };
  private keepWhole = true;
  private readonly sampled: SeriesColumns = { steps: [], values: [], wallTimes: [] };
  private current = -1;
  private bucket: Bucket | null = null;
  /** Points taken so far. */
  total = 0;

  constructor(
    private readonly maxPoints: number,
    private readonly firstStep: number,
    lastStep: number,
  ) {
    if (!Number.isInteger(maxPoints) || maxPoints < 4) throw new RangeError(`maxPoints must be an integer ≥ 4, got ${maxPoints}`);
    this.buckets = Math.floor(maxPoints / 4);
    this.span = Math.max(1, lastStep - firstStep + 1);
  }

  add(p: SeriesRow): void {
    const [step, value, wallTime] = p;
    this.total++;
    if (this.keepWhole) {
      if (this.total <= this.maxPoints) push(this.whole, step, value, wallTime);
      else this.keepWhole = false;
    }
    const b = Math.min(this.buckets - 1, Math.max(0, Math.floor(((step - this.firstStep) * this.buckets) / this.span)));
    const k = this.bucket;
    if (!k || b !== this.current) {
      this.close();
      this.current = b;
      this.bucket = { first: p, last: p, min: p, max: p };
      return;
    }
    k.last = p;
    if (value < k.min[1]) k.min = p;
    if (value > k.max[1]) k.max = p;
  }

  /** The whole series when it was short enough, else the bucket extremes in step order. */
  result(): SeriesColumns {
    if (this.keepWhole) return this.whole;
    this.close();
    return this.sampled;
  }

  private close(): void {
    const k = this.bucket;
    if (!k) return;
    const points = [k.first, k.min, k.max, k.last].sort((a, b) => a[0] - b[0]);
    let prev = -1;
    for (const [step, value, wallTime] of points) {
      if (step === prev) continue; // the same point in two roles (a bucket's first is often its max)
      push(this.sampled, step, value, wallTime);
      prev = step;
    }
    this.bucket = null;
  }
}

function push(c: SeriesColumns, step: number, value: number, wallTime: number): void {
  c.steps.push(step);
  c.values.push(value);
  c.wallTimes.push(wallTime);
}
