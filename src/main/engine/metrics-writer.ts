// Buffers metric points and writes them to the registry in batches, at most
// `intervalMs` apart, so a fast training loop does not pay one SQLite
// transaction per point while the UI still sees every point within a second.
import type { RecordedMetricPoint } from '../../shared/ipc/schemas';
import type { MetricsRepo } from '../registry/index';

export class MetricsWriter {
  private buffer: RecordedMetricPoint[] = [];
  private lastFlush = Date.now();

  constructor(
    private readonly metrics: MetricsRepo,
    private readonly runId: number,
    private readonly intervalMs = 200,
  ) {}

  add(point: RecordedMetricPoint): void {
    this.buffer.push(point);
    if (Date.now() - this.lastFlush >= this.intervalMs) this.flush();
  }

  flush(): void {
    this.lastFlush = Date.now();
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.metrics.append(this.runId, batch);
  }
}
