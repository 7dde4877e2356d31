// Metric points: batched upserts by (run, name, step), per-run reads, and a
// tail by row id for live relays.
//
// Non-finite values: NaN is rejected with an error naming the point (SQLite
// would silently store it as NULL, losing the fact that it was NaN); +Infinity
// and -Infinity are stored as they are, since SQLite REAL keeps them exactly.
import type Database from 'better-sqlite3';
import type { RecordedMetricPoint } from '../../../shared/ipc/schemas';
import type { MetricRow, MetricsRepo } from '../api';
import { RegistryError } from '../errors';
import { isForeignKeyError } from './sql-errors';

const DEFAULT_TAIL_LIMIT = 5000;

interface Row {
  id: number;
  run_id: number;
  step: number;
  name: string;
  value: number;
  wall_time: number;
}

const toPoint = (r: Row): RecordedMetricPoint => ({ step: r.step, name: r.name, value: r.value, wallTime: r.wall_time });

function checkPoint(runId: number, p: RecordedMetricPoint, index: number): void {
  const where = `metric #${index} (${JSON.stringify(p?.name)} at step ${String(p?.step)}) of run ${runId}`;
  const bad = (what: string): never => {
    throw new RegistryError('REGISTRY_INVALID_INPUT', `${where}: ${what}`);
  };
  if (typeof p !== 'object' || p === null) bad('expected an object { step, name, value, wallTime }');
  if (!Number.isInteger(p.step) || p.step < 0) bad(`step must be a non-negative integer, got ${String(p.step)}`);
  if (typeof p.name !== 'string' || p.name === '') bad(`name must be a non-empty string, got ${JSON.stringify(p.name)}`);
  if (typeof p.value !== 'number') bad(`value must be a number, got ${typeof p.value}`);
  if (Number.isNaN(p.value)) bad('value is NaN, which the registry refuses to store (SQLite would turn it into NULL)');
  if (typeof p.wallTime !== 'number' || !Number.isFinite(p.wallTime)) {
    bad(`wallTime must be a finite number of ms, got ${String(p.wallTime)}`);
  }
}

export function createMetricsRepo(db: Database.Database): MetricsRepo {
  // A replaced value takes a fresh id above every id handed out so far, so that
  // tail() readers past the old id still see it (a resumed run re-logs steps).
  const upsert = db.prepare<{ runId: number; step: number; name: string; value: number; wallTime: number }>(
    `INSERT INTO metrics (run_id, step, name, value, wall_time)
     VALUES (@runId, @step, @name, @value, @wallTime)
     ON CONFLICT (run_id, name, step) DO UPDATE SET
       value = excluded.value,
       wall_time = excluded.wall_time,
       id = max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'metrics'), 0),
                (SELECT max(id) FROM metrics)) + 1`,
  );
  // An UPDATE does not advance AUTOINCREMENT's counter; do it so a moved id is never reused.
  const syncSequence = db.prepare(
    `UPDATE sqlite_sequence SET seq = (SELECT max(id) FROM metrics)
     WHERE name = 'metrics' AND seq < (SELECT max(id) FROM metrics)`,
  );
  const appendAll = db.transaction((runId: number, points: readonly RecordedMetricPoint[]) => {
    for (const p of points) {
      upsert.run({ runId, step: p.step, name: p.name, value: p.value, wallTime: p.wallTime });
    }
    syncSequence.run();
  });
  const forRun = db.prepare<{ runId: number; afterStep: number | null; names: string | null }, Row>(
    `SELECT * FROM metrics
     WHERE run_id = @runId
       AND (@afterStep IS NULL OR step > @afterStep)
       AND (@names IS NULL OR name IN (SELECT value FROM json_each(@names)))
     ORDER BY step, name`,
  );
  const tail = db.prepare<{ afterId: number; limit: number }, Row>(
    'SELECT * FROM metrics WHERE id > @afterId ORDER BY id LIMIT @limit',
  );
  const maxId = db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM metrics');
  // The UNIQUE (run_id, name, step) index makes this a range scan of one run's metric.
  const minValue = db.prepare<[number, string], { v: number | null }>('SELECT min(value) AS v FROM metrics WHERE run_id = ? AND name = ?');

  return {
    append(runId, points) {
      points.forEach((p, i) => checkPoint(runId, p, i));
      if (points.length === 0) return;
      try {
        appendAll(runId, points);
      } catch (err) {
        if (isForeignKeyError(err)) throw new RegistryError('REGISTRY_NOT_FOUND', `run ${runId} not found`, { cause: err });
        throw err;
      }
    },

    forRun(runId, options = {}) {
      const names = options.names === undefined ? null : JSON.stringify(options.names);
      return forRun.all({ runId, afterStep: options.afterStep ?? null, names }).map(toPoint);
    },

    tail(afterId, limit = DEFAULT_TAIL_LIMIT) {
      if (!Number.isInteger(limit) || limit <= 0) {
        throw new RegistryError('REGISTRY_INVALID_INPUT', `tail limit must be a positive integer, got ${limit}`);
      }
      return tail.all({ afterId, limit }).map((r): MetricRow => ({ id: r.id, runId: r.run_id, ...toPoint(r) }));
    },

    maxId() {
      return maxId.get()?.id ?? 0;
    },

    minValue(runId, name) {
      return minValue.get(runId, name)?.v ?? null;
    },
  };
}
