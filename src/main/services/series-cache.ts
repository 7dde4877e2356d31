// runs.metrics answers for runs that have ended, kept in memory. A run's metrics
// change only while an engine works on it: once it has ended (completed, failed,
// stopped, crashed) its rows stay as they are until a resume, which makes it active
// again and, when it ends, gives it a new ended_at. So an answer keyed by the run's
// ended_at and the request is the registry's answer until then; the run page and
// Compare reopening the same runs skip the read. Active runs are never cached.
import type { MetricSeriesColumns } from '../../shared/ipc/metric-series';
import { ACTIVE_STATUSES } from '../../shared/ipc/schemas';
import type { RunRow } from '../registry/index';

/** Points kept over all entries (three numbers each: about 24 MB). */
const MAX_POINTS = 1_000_000;

export interface SeriesRequest {
  afterStep?: number;
  names?: readonly string[];
  maxPoints?: number;
}

export class SeriesCache {
  private readonly entries = new Map<string, { series: MetricSeriesColumns[]; points: number }>();
  private points = 0;

  constructor(private readonly maxPoints = MAX_POINTS) {}

  /** The cached answer, or read() once and kept when the run has ended. */
  get(run: Pick<RunRow, 'id' | 'status' | 'endedAt'>, req: SeriesRequest, read: () => MetricSeriesColumns[]): MetricSeriesColumns[] {
    if (ACTIVE_STATUSES.includes(run.status) || run.endedAt === null) return read();
    const key = JSON.stringify([run.id, run.endedAt, req.afterStep ?? null, req.names ? [...new Set(req.names)].sort() : null, req.maxPoints ?? null]);
    const hit = this.entries.get(key);
    if (hit) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.series;
    }
    const series = read();
    const points = series.reduce((n, s) => n + s.steps.length, 0);
    if (points > this.maxPoints) return series;
    this.entries.set(key, { series, points });
    this.points += points;
    for (const [k, e] of this.entries) {
      if (this.points <= this.maxPoints) break;
      this.entries.delete(k);
      this.points -= e.points;
    }
    return series;
  }
}
