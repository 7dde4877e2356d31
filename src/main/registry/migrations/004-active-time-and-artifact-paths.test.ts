// Schema version 4 on a version-3 registry: ended runs get their recorded span as
// active time, a running run's segment starts at its start, and of several rows for
// one (run, kind, path) only the newest stays, which the unique index then keeps so.
// Run: node --import tsx --test src/main/registry/migrations/004-active-time-and-artifact-paths.test.ts
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../testdata/temp';
import { MIGRATIONS, migrate, userVersion } from './index';

test('004 backfills active time and drops older duplicate artifact rows', () => {
  const db = new Database(join(tempDir(), 'v3-to-v4.sqlite'));
  db.pragma('foreign_keys = ON');
  assert.equal(migrate(db, MIGRATIONS, 3), 3);
  const run = db.prepare(
    "INSERT INTO runs (name, method, status, config_json, created_at, started_at, ended_at) VALUES (?, 'lora', ?, '{}', 1, ?, ?)",
  );
  run.run('ended', 'completed', 1_000, 61_000);
  run.run('running', 'running', 5_000, null);
  run.run('never', 'queued', null, null);
  const art = db.prepare("INSERT INTO artifacts (run_id, kind, path, meta_json, created_at) VALUES (?, ?, ?, ?, ?)");
  art.run(1, 'adapter', '/runs/1/adapter', '{"step":10}', 10); // id 1: saved, then overwritten by a resume
  art.run(1, 'adapter', '/runs/1/adapter', '{"step":20}', 20); // id 2: the files now there
  art.run(1, 'merged-model', '/runs/1/adapter', '{}', 30); // id 3: another kind keeps its row
  art.run(null, 'merged-model', '/m', '{"n":1}', 40); // ids 4, 5: a deleted run's duplicates
  art.run(null, 'merged-model', '/m', '{"n":2}', 50);

  assert.equal(migrate(db, MIGRATIONS, 4), 4);
  assert.equal(userVersion(db), 4);
  const runs = db.prepare('SELECT name, active_ms, segment_started_at FROM runs ORDER BY id').raw().all();
  assert.deepEqual(runs, [['ended', 60_000, null], ['running', 0, 5_000], ['never', 0, null]]);
  const arts = db.prepare('SELECT id, kind, meta_json FROM artifacts ORDER BY id').raw().all();
  assert.deepEqual(arts, [[2, 'adapter', '{"step":20}'], [3, 'merged-model', '{}'], [5, 'merged-model', '{"n":2}']]);
  assert.throws(() => art.run(1, 'adapter', '/runs/1/adapter', '{}', 60), /UNIQUE constraint failed/);
  // A deleted run's artifacts go to run_id NULL, whatever other rows of no run hold that folder.
  art.run(null, 'merged-model', '/m', '{}', 60);
  db.prepare('DELETE FROM runs WHERE id = 1').run();
  assert.equal(db.prepare("SELECT count(*) FROM artifacts WHERE path = '/runs/1/adapter' AND run_id IS NULL").pluck().get(), 2);
  db.close();
});
