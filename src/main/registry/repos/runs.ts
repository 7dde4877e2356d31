// Runs: creation, the status life cycle and the last recorded loss.
// Life cycle: queued -> running -> completed | failed | stopped | crashed; a run
// that ended other than completed may be marked running again (resume).
import type Database from 'better-sqlite3';
import { METHODS, type Method } from '../../../shared/config/run-config';
import type { RunStatus } from '../../../shared/ipc/schemas';
import type { NewRun, RunRow, RunsRepo } from '../api';
import { RegistryError } from '../errors';
import { isForeignKeyError } from './sql-errors';

/** The metric name lastLoss() reads. */
export const LOSS_METRIC = 'loss';

const FINAL_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'stopped', 'crashed'];

interface Row {
  id: number;
  name: string;
  method: string;
  status: string;
  config_json: string;
  parent_run_id: number | null;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  error: string | null;
  pid: number | null;
}

function toRunRow(r: Row): RunRow {
  return {
    id: r.id,
    name: r.name,
    method: r.method as Method,
    status: r.status as RunStatus,
    config: JSON.parse(r.config_json) as Record<string, unknown>,
    parentRunId: r.parent_run_id,
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    error: r.error,
    pid: r.pid,
  };
}

export function createRunsRepo(db: Database.Database): RunsRepo {
  const insert = db.prepare<
    { name: string; method: string; config: string; parent: number | null; now: number },
    Row
  >(
    `INSERT INTO runs (name, method, status, config_json, parent_run_id, created_at)
     VALUES (@name, @method, 'queued', @config, @parent, @now) RETURNING *`,
  );
  const byId = db.prepare<[number], Row>('SELECT * FROM runs WHERE id = ?');
  const list = db.prepare<{ status: string | null; limit: number }, Row>(
    `SELECT * FROM runs WHERE (@status IS NULL OR status = @status) ORDER BY id DESC LIMIT @limit`,
  );
  // Resume may restart a run that ended other than completed; started_at keeps the first start.
  const markRunning = db.prepare<{ id: number; pid: number; now: number }>(
    `UPDATE runs SET status = 'running', pid = @pid, started_at = coalesce(started_at, @now),
            ended_at = NULL, error = NULL
     WHERE id = @id AND status IN ('queued', 'failed', 'stopped', 'crashed')`,
  );
  const finish = db.prepare<{ id: number; status: string; error: string | null; now: number }>(
    `UPDATE runs SET status = @status, error = @error, ended_at = @now, pid = NULL
     WHERE id = @id AND status IN ('queued', 'running')`,
  );
  // One statement, so a supervisor and an engine finishing the same run cannot both win.
  const markCrashed = db.prepare<{ id: number; reason: string; now: number }>(
    `UPDATE runs SET status = 'crashed', error = @reason, ended_at = @now, pid = NULL
     WHERE id = @id AND status IN ('queued', 'running')`,
  );
  const lastLoss = db.prepare<{ id: number; name: string }, { step: number; value: number }>(
    `SELECT step, value FROM metrics WHERE run_id = @id AND name = @name ORDER BY step DESC LIMIT 1`,
  );

  function refuse(id: number, action: string): never {
    const run = byId.get(id);
    if (!run) throw new RegistryError('REGISTRY_NOT_FOUND', `run ${id} not found`);
    throw new RegistryError('REGISTRY_INVALID_TRANSITION', `cannot ${action} run ${id}: it is ${run.status}`);
  }

  return {
    create(run: NewRun): RunRow {
      if (typeof run.name !== 'string' || run.name.trim() === '') {
        throw new RegistryError('REGISTRY_INVALID_INPUT', `run name must be a non-empty string, got ${JSON.stringify(run.name)}`);
      }
      if (!(METHODS as readonly string[]).includes(run.method)) {
        throw new RegistryError(
          'REGISTRY_INVALID_INPUT',
          `run method must be one of ${METHODS.join(', ')}, got ${JSON.stringify(run.method)}`,
        );
      }
      if (run.config === null || typeof run.config !== 'object' || Array.isArray(run.config)) {
        throw new RegistryError('REGISTRY_INVALID_INPUT', 'run config must be an object');
      }
      const parent = run.parentRunId ?? null;
      try {
        const row = insert.get({ name: run.name, method: run.method, config: JSON.stringify(run.config), parent, now: Date.now() });
        if (!row) throw new Error('INSERT ... RETURNING gave no row');
        return toRunRow(row);
      } catch (err) {
        if (isForeignKeyError(err)) {
          throw new RegistryError('REGISTRY_NOT_FOUND', `parent run ${parent} not found`, { cause: err });
        }
        throw err;
      }
    },

    get(id) {
      const row = byId.get(id);
      return row && toRunRow(row);
    },

    list(options = {}) {
      const limit = options.limit ?? -1; // SQLite: a negative LIMIT means no limit
      if (options.limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
        throw new RegistryError('REGISTRY_INVALID_INPUT', `list limit must be a non-negative integer, got ${options.limit}`);
      }
      return list.all({ status: options.status ?? null, limit }).map(toRunRow);
    },

    markRunning(id, pid) {
      if (markRunning.run({ id, pid, now: Date.now() }).changes === 0) refuse(id, 'start');
    },

    finish(id, status, error = null) {
      if (!FINAL_STATUSES.includes(status)) {
        throw new RegistryError(
          'REGISTRY_INVALID_INPUT',
          `finish status must be one of ${FINAL_STATUSES.join(', ')}, got ${JSON.stringify(status)}`,
        );
      }
      if (finish.run({ id, status, error, now: Date.now() }).changes === 0) refuse(id, `finish (${status})`);
    },

    markCrashedIfActive(id, reason) {
      return markCrashed.run({ id, reason, now: Date.now() }).changes > 0;
    },

    lastLoss(id) {
      return lastLoss.get({ id, name: LOSS_METRIC }) ?? null;
    },
  };
}
