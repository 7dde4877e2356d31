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

/**
 * Takes the points of one series (ascending steps within [firstStep, lastStep]) one
 * at a time and keeps them all while there are at most maxPoints; beyond that, the
 * first, last, minimum and maximum of each of maxPoints / 4 equal step ranges.
 * Memory stays O(maxPoints) however long the series is, and a point costs a few
 * comparisons, no allocation (the open bucket's four roles are plain fields).
 */
export class SeriesSampler {
  private readonly buckets: number;
  private readonly span: number;
  private readonly whole: SeriesColumns = { steps: [], values: [], wallTimes: [] };
  private keepWhole = true;
  private readonly sampled: SeriesColumns = { steps: [], values: [], wallTimes: [] };
  private current = -1;
  // The open bucket: step, value and wall time of its first, last, lowest and highest point.
  private fs = 0;
  private fv = 0;
  private fw = 0;
  private ls = 0;
  private lv = 0;
  private lw = 0;
  private mins = 0;
  private minv = 0;
  private minw = 0;
  private maxs = 0;
  private maxv = 0;
  private maxw = 0;
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

  add(step: number, value: number, wallTime: number): void {
    this.total++;
    if (this.keepWhole) {
      if (this.total <= this.maxPoints) push(this.whole, step, value, wallTime);
      else this.keepWhole = false;
    }
    const b = Math.min(this.buckets - 1, Math.max(0, Math.floor(((step - this.firstStep) * this.buckets) / this.span)));
    if (b !== this.current) {
      this.close();
      this.current = b;
      this.fs = this.ls = this.mins = this.maxs = step;
      this.fv = this.lv = this.minv = this.maxv = value;
      this.fw = this.lw = this.minw = this.maxw = wallTime;
      return;
    }
    this.ls = step;
    this.lv = value;
    this.lw = wallTime;
    if (value < this.minv) {
      this.mins = step;
      this.minv = value;
      this.minw = wallTime;
    }
    if (value > this.maxv) {
      this.maxs = step;
      this.maxv = value;
      this.maxw = wallTime;
    }
  }

  /** The whole series when it was short enough, else the bucket extremes in step order. */
  result(): SeriesColumns {
    if (this.keepWhole) return this.whole;
    this.close();
    return this.sampled;
  }

  private close(): void {
    if (this.current < 0) return;
    // first ≤ min, max ≤ last by step; the two extremes in the order they occurred.
    const out = this.sampled;
    push(out, this.fs, this.fv, this.fw);
    const [a, b] = this.mins <= this.maxs ? ['min', 'max'] as const : ['max', 'min'] as const;
    for (const role of [a, b]) {
      const step = role === 'min' ? this.mins : this.maxs;
      // The same point in two roles (a bucket's first is often its max) is kept once.
      if (step === out.steps[out.steps.length - 1]) continue;
      push(out, step, role === 'min' ? this.minv : this.maxv, role === 'min' ? this.minw : this.maxw);
    }
    if (this.ls !== out.steps[out.steps.length - 1]) push(out, this.ls, this.lv, this.lw);
    this.current = -1;
  }
}

function push(c: SeriesColumns, step: number, value: number, wallTime: number): void {
  c.steps.push(step);
  c.values.push(value);
  c.wallTimes.push(wallTime);
}
