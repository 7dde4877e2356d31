// Runs: creation, the status life cycle and the last recorded loss.
// Life cycle: queued -> running -> completed | failed | stopped | crashed; a run
// that ended other than completed may be claimed again (queued, then running: resume).
//
// Every status change is one conditional UPDATE (compare-and-set) that names the
// status it expects and, where a process owns the run, that process's pid; it
// changes exactly one row or it is refused. So two supervisors resuming one run,
// or an engine finishing a run another engine took over, cannot both win. The pid
// column holds the owner: while queued, the process that queued the run (its
// supervisor); while running, the engine.
//
// Readers reconcile: get() and list() never report a run queued or running whose
// owner is gone (a SIGKILL, a power cut). Such a run is marked crashed on the way,
// by the same compare-and-set on the pid that was seen; where the registry cannot
// be written (read-only, a full disk) the row is reported crashed without it.
import type Database from 'better-sqlite3';
import { METHODS, type Method } from '../../../shared/config/run-config';
import { METRIC } from '../../../shared/ipc/metric-names';
import type { RunStatus } from '../../../shared/ipc/schemas';
import type { NewRun, RunRow, RunsRepo } from '../api';
import { RegistryError } from '../errors';
import { isForeignKeyError } from './sql-errors';

/** Tells a reader whether a recorded pid is a live engine (running) or a live process (queued). */
export interface OwnerProbe {
  isEngine(pid: number): boolean;
  isAlive(pid: number): boolean;
}

/** A queued run without an owner pid (written by an older LoRA Lab) may be starting for this long. */
const UNOWNED_QUEUE_GRACE_MS = 60_000;

/** The metric name lastLoss() reads. */
export const LOSS_METRIC = METRIC.loss;

const FINAL_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'stopped', 'crashed'];

/**
 * Ends the segment under way (a run ends only from queued or running): its time joins
 * active_ms. A run that never reached running has no segment and adds nothing.
 */
const CLOSE_SEGMENT = `active_ms = active_ms + coalesce(max(0, @now - segment_started_at), 0), segment_started_at = NULL`;

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
  active_ms: number;
  segment_started_at: number | null;
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
    activeMs: r.active_ms,
    segmentStartedAt: r.segment_started_at,
  };
}

export function createRunsRepo(db: Database.Database, probe: OwnerProbe): RunsRepo {
  const insert = db.prepare<
    { name: string; method: string; config: string; parent: number | null; now: number; owner: number },
    Row
  >(
    `INSERT INTO runs (name, method, status, config_json, parent_run_id, created_at, pid)
     VALUES (@name, @method, 'queued', @config, @parent, @now, @owner) RETURNING *`,
  );
  const byId = db.prepare<[number], Row>('SELECT * FROM runs WHERE id = ?');
  const list = db.prepare<{ status: string | null; limit: number }, Row>(
    `SELECT * FROM runs WHERE (@status IS NULL OR status = @status) ORDER BY id DESC LIMIT @limit`,
  );
  // Resume claims a run that ended other than completed: it is queued again, owned by the claimant.
  const claim = db.prepare<{ id: number; owner: number }>(
    `UPDATE runs SET status = 'queued', pid = @owner, ended_at = NULL, error = NULL
     WHERE id = @id AND status IN ('failed', 'stopped', 'crashed')`,
  );
  // Only the engine its owner started may take a queued run; started_at keeps the first
  // start, segment_started_at this one (a resume), so the time stopped in between is not counted.
  const markRunning = db.prepare<{ id: number; pid: number; owners: string; now: number }>(
    `UPDATE runs SET status = 'running', pid = @pid, started_at = coalesce(started_at, @now),
            segment_started_at = @now, ended_at = NULL, error = NULL
     WHERE id = @id AND status = 'queued' AND (pid IS NULL OR pid IN (SELECT value FROM json_each(@owners)))`,
  );
  const finish = db.prepare<{ id: number; status: string; error: string | null; now: number; pid: number | null }>(
    `UPDATE runs SET status = @status, error = @error, ended_at = @now, pid = NULL, ${CLOSE_SEGMENT}
     WHERE id = @id AND status IN ('queued', 'running') AND (@pid IS NULL OR pid = @pid)`,
  );
  // One statement, so a supervisor, a reader and an engine finishing the same run cannot both win.
  const markCrashed = db.prepare<{ id: number; reason: string; now: number; pids: string | null }>(
    `UPDATE runs SET status = 'crashed', error = @reason, ended_at = @now, pid = NULL, ${CLOSE_SEGMENT}
     WHERE id = @id AND status IN ('queued', 'running')
       AND (@pids IS NULL OR pid IS NULL OR pid IN (SELECT value FROM json_each(@pids)))`,
  );
  const lastLoss = db.prepare<{ id: number; name: string }, { step: number; value: number }>(
    `SELECT step, value FROM metrics WHERE run_id = @id AND name = @name ORDER BY step DESC LIMIT 1`,
  );

  // By the runs_parent index: a run page asks for its children on every load.
  const children = db.prepare<[number], number>('SELECT id FROM runs WHERE parent_run_id = ? ORDER BY id').pluck();

  const remove = db.prepare<[number]>(`DELETE FROM runs WHERE id = ? AND status NOT IN ('queued', 'running')`);

  /** Why a queued or running row has no owner any more, or null while it has one. */
  function orphanReason(r: Row, now: number): string | null {
    if (r.status === 'running') {
      if (r.pid === null) return 'running without an engine pid';
      return probe.isEngine(r.pid) ? null : `engine process ${r.pid} is no longer running`;
    }
    if (r.status !== 'queued') return null;
    if (r.pid === null) return now - r.created_at < UNOWNED_QUEUE_GRACE_MS ? null : 'engine never started';
    return probe.isAlive(r.pid) ? null : `process ${r.pid}, which queued the run, is gone and no engine started`;
  }

  /** The row as it truly stands: an orphan is marked crashed (or, if the registry cannot be written, reported so). */
  function reconcile(r: Row): Row {
    const now = Date.now();
    const why = orphanReason(r, now);
    if (why === null) return r;
    const reason = `${why} (found by a reader of the registry)`;
    try {
      markCrashed.run({ id: r.id, reason, now, pids: r.pid === null ? null : JSON.stringify([r.pid]) });
      return byId.get(r.id) ?? r;
    } catch {
      // Read-only, busy or full: say what is true without recording it; the next writer will.
      return { ...r, status: 'crashed', error: `${reason}; not yet recorded`, ended_at: now, pid: null };
    }
  }

  function refuse(id: number, action: string): never {
    const run = byId.get(id);
    if (!run) throw new RegistryError('REGISTRY_NOT_FOUND', `run ${id} not found`);
    const owner = run.pid === null ? '' : run.status === 'running' ? ` (engine pid ${run.pid})` : ` (owned by pid ${run.pid})`;
    throw new RegistryError('REGISTRY_INVALID_TRANSITION', `cannot ${action} run ${id}: it is ${run.status}${owner}`);
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
        const row = insert.get({ name: run.name, method: run.method, config: JSON.stringify(run.config), parent, now: Date.now(), owner: process.pid });
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
      return row && toRunRow(reconcile(row));
    },

    children(id) {
      return children.all(id);
    },

    list(options = {}) {
      const limit = options.limit ?? -1; // SQLite: a negative LIMIT means no limit
      if (options.limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
        throw new RegistryError('REGISTRY_INVALID_INPUT', `list limit must be a non-negative integer, got ${options.limit}`);
      }
      const rows = list.all({ status: options.status ?? null, limit }).map(reconcile);
      // A filter on an active status must not return the orphans it just found.
      return rows.filter((r) => options.status === undefined || r.status === options.status).map(toRunRow);
    },

    reconcileOrphans() {
      const found: number[] = [];
      for (const r of list.all({ status: null, limit: -1 })) {
        if ((r.status === 'queued' || r.status === 'running') && reconcile(r).status === 'crashed') found.push(r.id);
      }
      return found;
    },

    claim(id, owner = process.pid) {
      if (claim.run({ id, owner }).changes === 0) refuse(id, 'resume');
    },

    markRunning(id, pid, owner) {
      // By default the run was queued by the caller or, for an engine, by its parent (the
      // supervisor that forked it). A parent that died meanwhile has left the engine
      // re-parented, so its ppid no longer matches and the orphaned claim is refused.
      const owners = owner === undefined ? [process.pid, process.ppid] : [owner];
      if (markRunning.run({ id, pid, owners: JSON.stringify(owners), now: Date.now() }).changes === 0) refuse(id, 'start');
    },

    finish(id, status, error = null, pid = null) {
      if (!FINAL_STATUSES.includes(status)) {
        throw new RegistryError(
          'REGISTRY_INVALID_INPUT',
          `finish status must be one of ${FINAL_STATUSES.join(', ')}, got ${JSON.stringify(status)}`,
        );
      }
      if (finish.run({ id, status, error, now: Date.now(), pid }).changes === 0) refuse(id, `finish (${status})`);
    },

    markCrashedIfActive(id, reason, pids) {
      return markCrashed.run({ id, reason, now: Date.now(), pids: pids ? JSON.stringify(pids) : null }).changes > 0;
    },

    lastLoss(id) {
      return lastLoss.get({ id, name: LOSS_METRIC }) ?? null;
    },

    delete(id) {
      if (remove.run(id).changes === 0) refuse(id, 'delete');
    },
  };
}
