// Tails the registry's metrics table and pushes new points as onMetrics events.
// The registry is the source of truth, so this sees runs started anywhere — by
// this process's supervisor, by a `loralab train` in another terminal — the same way.
// Values go out in the contract's form (±Infinity as 'Infinity' / '-Infinity').
import { toContractPoint, type MetricPoint } from '../../shared/ipc/schemas';
import type { Registry } from '../registry/index';
import type { EventHub } from './event-hub';

export class MetricsTail {
  private lastId: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly hub: EventHub,
    private readonly intervalMs = 250,
  ) {
    this.lastId = registry.metrics.maxId();
  }

  start(): void {
    this.timer ??= setInterval(() => this.poll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Reads everything new since the last poll and emits one event per run. Never
   * throws: it runs in a bare timer, where an exception would end the process. A
   * failed read (a busy or full disk, a closed registry) is reported and retried
   * on the next tick from the same row.
   */
  poll(): void {
    const byRun = new Map<number, MetricPoint[]>();
    try {
      for (;;) {
        const rows = this.registry.metrics.tail(this.lastId, 5000);
        if (rows.length === 0) break;
        for (const { id, runId, ...point } of rows) {
          this.lastId = id;
          let list = byRun.get(runId);
          if (!list) byRun.set(runId, (list = []));
          list.push(toContractPoint(point));
        }
      }
    } catch (err) {
      process.stderr.write(`loralab: metrics tail: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    for (const [runId, points] of byRun) this.hub.emit('onMetrics', { runId, points });
  }
}
