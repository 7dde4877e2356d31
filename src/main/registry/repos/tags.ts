// Free-form tags on runs. Adding a tag twice or removing a missing one is a no-op.
import type Database from 'better-sqlite3';
import type { TagsRepo } from '../api';
import { RegistryError } from '../errors';
import { isForeignKeyError } from './sql-errors';

export function createTagsRepo(db: Database.Database): TagsRepo {
  const insert = db.prepare<[number, string]>('INSERT INTO tags (run_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const remove = db.prepare<[number, string]>('DELETE FROM tags WHERE run_id = ? AND tag = ?');
  const forRun = db.prepare<[number], string>('SELECT tag FROM tags WHERE run_id = ? ORDER BY tag').pluck();

  return {
    add(runId, tag) {
      if (typeof tag !== 'string' || tag.trim() === '') {
        throw new RegistryError('REGISTRY_INVALID_INPUT', `tag must be a non-empty string, got ${JSON.stringify(tag)}`);
      }
      try {
        insert.run(runId, tag);
      } catch (err) {
        if (isForeignKeyError(err)) throw new RegistryError('REGISTRY_NOT_FOUND', `run ${runId} not found`, { cause: err });
        throw err;
      }
    },

    remove(runId, tag) {
      remove.run(runId, tag);
    },

    forRun(runId) {
      return forRun.all(runId);
    },
  };
}
