// Artifacts: adapters, merged models and other outputs, with free-form JSON meta.
// One row per (run, kind, path): a save into a folder already recorded (a resumed
// run writes its adapter again in place) updates that row's meta and time, so no
// older row is left describing files that were overwritten.
import type Database from 'better-sqlite3';
import type { ArtifactRow, ArtifactsRepo } from '../api';
import { RegistryError } from '../errors';
import { isForeignKeyError } from './sql-errors';

interface Row {
  id: number;
  run_id: number | null;
  kind: string;
  path: string;
  meta_json: string;
  created_at: number;
}

const toArtifact = (r: Row): ArtifactRow => ({
  id: r.id,
  runId: r.run_id,
  kind: r.kind,
  path: r.path,
  meta: JSON.parse(r.meta_json) as Record<string, unknown>,
  createdAt: r.created_at,
});

export function createArtifactsRepo(db: Database.Database): ArtifactsRepo {
  const insert = db.prepare<{ runId: number | null; kind: string; path: string; meta: string; now: number }, Row>(
    `INSERT INTO artifacts (run_id, kind, path, meta_json, created_at)
     VALUES (@runId, @kind, @path, @meta, @now)
     ON CONFLICT (run_id, kind, path) WHERE run_id IS NOT NULL
     DO UPDATE SET meta_json = excluded.meta_json, created_at = excluded.created_at
     RETURNING *`,
  );
  // The unique index leaves out rows of no run (a deleted run's, which may repeat a
  // folder); a save of no run into a recorded folder updates the newest such row.
  const updateLoose = db.prepare<{ kind: string; path: string; meta: string; now: number }, Row>(
    `UPDATE artifacts SET meta_json = @meta, created_at = @now
     WHERE id = (SELECT max(id) FROM artifacts WHERE run_id IS NULL AND kind = @kind AND path = @path) RETURNING *`,
  );
  const forRun = db.prepare<[number], Row>('SELECT * FROM artifacts WHERE run_id = ? ORDER BY id');
  const byPath = db.prepare<[string], Row>('SELECT * FROM artifacts WHERE path = ? ORDER BY id DESC LIMIT 1');
  const list = db.prepare<{ kind: string | null; limit: number }, Row>(
    'SELECT * FROM artifacts WHERE (@kind IS NULL OR kind = @kind) ORDER BY id DESC LIMIT @limit',
  );
  const remove = db.prepare<[number]>('DELETE FROM artifacts WHERE id = ?');

  return {
    add({ runId, kind, path, meta = {} }) {
      if (typeof kind !== 'string' || kind === '') {
        throw new RegistryError('REGISTRY_INVALID_INPUT', `artifact kind must be a non-empty string, got ${JSON.stringify(kind)}`);
      }
      if (typeof path !== 'string' || path === '') {
        throw new RegistryError('REGISTRY_INVALID_INPUT', `artifact path must be a non-empty string, got ${JSON.stringify(path)}`);
      }
      if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
        throw new RegistryError('REGISTRY_INVALID_INPUT', 'artifact meta must be an object');
      }
      try {
        const values = { kind, path, meta: JSON.stringify(meta), now: Date.now() };
        const row = (runId === null ? updateLoose.get(values) : undefined) ?? insert.get({ ...values, runId });
        if (!row) throw new Error('INSERT ... RETURNING gave no row');
        return toArtifact(row);
      } catch (err) {
        if (isForeignKeyError(err)) throw new RegistryError('REGISTRY_NOT_FOUND', `run ${runId} not found`, { cause: err });
        throw err;
      }
    },

    forRun(runId) {
      return forRun.all(runId).map(toArtifact);
    },

    findByPath(path) {
      const row = byPath.get(path);
      return row ? toArtifact(row) : undefined;
    },

    list(options = {}) {
      return list.all({ kind: options.kind ?? null, limit: options.limit ?? -1 }).map(toArtifact);
    },

    remove(id) {
      remove.run(id);
    },
  };
}
