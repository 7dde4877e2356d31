// Checkpoints written for resume. The same step may be saved again after a
// resume; the newest save of the highest step is the latest.
import type Database from 'better-sqlite3';
import type { CheckpointRow, CheckpointsRepo } from '../api';
import { RegistryError } from '../errors';
import { isForeignKeyError } from './sql-errors';

interface Row {
  id: number;
  run_id: number;
  step: number;
  path: string;
  bytes: number | null;
  created_at: number;
}

const toCheckpoint = (r: Row): CheckpointRow => ({
  id: r.id,
  runId: r.run_id,
  step: r.step,
  path: r.path,
  bytes: r.bytes,
  createdAt: r.created_at,
});

export function createCheckpointsRepo(db: Database.Database): CheckpointsRepo {
  const insert = db.prepare<{ runId: number; step: number; path: string; bytes: number | null; now: number }, Row>(
    `INSERT INTO checkpoints (run_id, step, path, bytes, created_at)
     VALUES (@runId, @step, @path, @bytes, @now) RETURNING *`,
  );
  const forRun = db.prepare<[number], Row>('SELECT * FROM checkpoints WHERE run_id = ? ORDER BY step, id');
  const latest = db.prepare<[number], Row>(
    'SELECT * FROM checkpoints WHERE run_id = ? ORDER BY step DESC, id DESC LIMIT 1',
  );

  return {
    add({ runId, step, path, bytes = null }) {
      if (!Number.isInteger(step) || step < 0) {
        throw new RegistryError('REGISTRY_INVALID_INPUT', `checkpoint step must be a non-negative integer, got ${step}`);
      }
      if (typeof path !== 'string' || path === '') {
        throw new RegistryError('REGISTRY_INVALID_INPUT', `checkpoint path must be a non-empty string, got ${JSON.stringify(path)}`);
      }
      try {
        const row = insert.get({ runId, step, path, bytes, now: Date.now() });
        if (!row) throw new Error('INSERT ... RETURNING gave no row');
        return toCheckpoint(row);
      } catch (err) {
        if (isForeignKeyError(err)) throw new RegistryError('REGISTRY_NOT_FOUND', `run ${runId} not found`, { cause: err });
        throw err;
      }
    },

    forRun(runId) {
      return forRun.all(runId).map(toCheckpoint);
    },

    latest(runId) {
      const row = latest.get(runId);
      return row && toCheckpoint(row);
    },
  };
}
