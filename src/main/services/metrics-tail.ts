// Tails the registry's metrics table and pushes new points as onMetrics events.
// The registry is the source of truth, so this sees runs started anywhere — by
// this process's supervisor, by a `loralab train` in another terminal — the same way.
// Values go out in the contract's form (±Infinity as 'Infinity' / '-Infinity').
// Every few polls it also reconciles the registry's runs, so a run whose engine died
// in another process (a SIGKILLed `loralab train`) turns crashed on every open
// screen within seconds, announced as onRunStatus, not only when someone re-reads it.
import { toContractPoint, type MetricPoint } from '../../shared/ipc/schemas';
import type { Registry } from '../registry/index';
import type { EventHub } from './event-hub';

/** Polls between reconciliations of orphaned runs (8 × 250 ms = 2 s). */
const RECONCILE_EVERY = 8;

export class MetricsTail {
  private lastId: number;
  private timer: NodeJS.Timeout | undefined;
  private polls = 0;

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
    if (++this.polls % RECONCILE_EVERY === 0) this.reconcile();
  }

  /** Marks runs whose owner is gone crashed and announces each; never throws (it runs in the timer). */
  reconcile(): void {
    try {
      for (const runId of this.registry.runs.reconcileOrphans()) {
        const run = this.registry.runs.get(runId);
        if (run) this.hub.emit('onRunStatus', { runId, status: run.status, error: run.error });
      }
    } catch (err) {
      process.stderr.write(`loralab: run reconciliation: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
}
