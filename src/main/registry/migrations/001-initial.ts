// Schema version 1: runs, metrics, checkpoints, artifacts, tags and the
// schema_version log. Times are integer milliseconds since the epoch.
import type { Migration } from './types';

export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE schema_version (
        version    INTEGER PRIMARY KEY,
        applied_at INTEGER NOT NULL
      );

      -- The status list is spelled out, not imported: a released migration must
      -- not change when the code's list does (a test keeps them equal for v1).
      CREATE TABLE runs (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        name          TEXT NOT NULL,
        method        TEXT NOT NULL,
        status        TEXT NOT NULL DEFAULT 'queued'
                      CHECK (status IN ('queued', 'running', 'completed', 'failed', 'stopped', 'crashed')),
        config_json   TEXT NOT NULL CHECK (json_valid(config_json)),
        parent_run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        created_at    INTEGER NOT NULL,
        started_at    INTEGER,
        ended_at      INTEGER,
        error         TEXT,
        pid           INTEGER
      );
      CREATE INDEX runs_status ON runs(status);
      CREATE INDEX runs_parent ON runs(parent_run_id);

      -- AUTOINCREMENT so ids are never reused: tail() readers resume from an id.
      CREATE TABLE metrics (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step      INTEGER NOT NULL CHECK (step >= 0),
        name      TEXT NOT NULL,
        value     REAL NOT NULL,
        wall_time INTEGER NOT NULL,
        UNIQUE (run_id, name, step)
      );
      CREATE INDEX metrics_run_step ON metrics(run_id, step);

      CREATE TABLE checkpoints (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step       INTEGER NOT NULL,
        path       TEXT NOT NULL,
        bytes      INTEGER,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX checkpoints_run_step ON checkpoints(run_id, step);

      -- An exported model outlives the run that made it, hence SET NULL.
      CREATE TABLE artifacts (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id     INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        kind       TEXT NOT NULL,
        path       TEXT NOT NULL,
        meta_json  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta_json)),
        created_at INTEGER NOT NULL
      );
      CREATE INDEX artifacts_run ON artifacts(run_id);

      CREATE TABLE tags (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        tag    TEXT NOT NULL,
        PRIMARY KEY (run_id, tag)
      ) WITHOUT ROWID;
    `);
  },
};
