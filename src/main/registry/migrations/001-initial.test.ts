// Schema version 1, checked table by table after applying migrations up to it.
// Run: node --import tsx --test src/main/registry/migrations/001-initial.test.ts
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { RUN_STATUSES } from '../../../shared/ipc/schemas';
import { tempDir } from '../testdata/temp';
import { MIGRATIONS, migrate, userVersion } from './index';

function migratedTo1(): Database.Database {
  const db = new Database(join(tempDir(), 'v1.sqlite'));
  db.pragma('foreign_keys = ON');
  assert.equal(migrate(db, MIGRATIONS, 1), 1);
  return db;
}

const columns = (db: Database.Database, table: string) =>
  (db.pragma(`table_info(${table})`) as { name: string; type: string; notnull: number; pk: number }[]).map(
    (c) => `${c.name} ${c.type}${c.notnull ? ' NOT NULL' : ''}${c.pk ? ' PK' : ''}`,
  );

const foreignKeys = (db: Database.Database, table: string) =>
  (db.pragma(`foreign_key_list(${table})`) as { table: string; from: string; to: string; on_delete: string }[]).map(
    (f) => `${f.from} -> ${f.table}(${f.to}) ON DELETE ${f.on_delete}`,
  );

test('001 creates the v1 tables and records the version', () => {
  const db = migratedTo1();
  const tables = db
    .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all();
  assert.deepEqual(tables, ['artifacts', 'checkpoints', 'metrics', 'runs', 'schema_version', 'tags']);
  assert.equal(userVersion(db), 1);
  const log = db.prepare<[], { version: number; applied_at: number }>('SELECT * FROM schema_version').all();
  assert.equal(log.length, 1);
  assert.equal(log[0]?.version, 1);
  assert.ok(Math.abs((log[0]?.applied_at ?? 0) - Date.now()) < 60_000, 'applied_at is ms since the epoch');
  db.close();
});

test('001 columns, keys and indexes', () => {
  const db = migratedTo1();
  assert.deepEqual(columns(db, 'runs'), [
    'id INTEGER PK',
    'name TEXT NOT NULL',
    'method TEXT NOT NULL',
    'status TEXT NOT NULL',
    'config_json TEXT NOT NULL',
    'parent_run_id INTEGER',
    'created_at INTEGER NOT NULL',
    'started_at INTEGER',
    'ended_at INTEGER',
    'error TEXT',
    'pid INTEGER',
  ]);
  assert.deepEqual(foreignKeys(db, 'runs'), ['parent_run_id -> runs(id) ON DELETE SET NULL']);
  assert.deepEqual(columns(db, 'metrics'), [
    'id INTEGER PK',
    'run_id INTEGER NOT NULL',
    'step INTEGER NOT NULL',
    'name TEXT NOT NULL',
    'value REAL NOT NULL',
    'wall_time INTEGER NOT NULL',
  ]);
  assert.deepEqual(foreignKeys(db, 'metrics'), ['run_id -> runs(id) ON DELETE CASCADE']);
  assert.deepEqual(columns(db, 'checkpoints'), [
    'id INTEGER PK',
    'run_id INTEGER NOT NULL',
    'step INTEGER NOT NULL',
    'path TEXT NOT NULL',
    'bytes INTEGER',
    'created_at INTEGER NOT NULL',
  ]);
  assert.deepEqual(foreignKeys(db, 'checkpoints'), ['run_id -> runs(id) ON DELETE CASCADE']);
  assert.deepEqual(columns(db, 'artifacts'), [
    'id INTEGER PK',
    'run_id INTEGER',
    'kind TEXT NOT NULL',
    'path TEXT NOT NULL',
    'meta_json TEXT NOT NULL',
    'created_at INTEGER NOT NULL',
  ]);
  assert.deepEqual(foreignKeys(db, 'artifacts'), ['run_id -> runs(id) ON DELETE SET NULL']);
  assert.deepEqual(columns(db, 'tags'), ['run_id INTEGER NOT NULL PK', 'tag TEXT NOT NULL PK']);
  assert.deepEqual(foreignKeys(db, 'tags'), ['run_id -> runs(id) ON DELETE CASCADE']);

  const metricIndexes = (db.pragma('index_list(metrics)') as { name: string; unique: number }[]).map((i) => {
    const cols = (db.pragma(`index_info(${i.name})`) as { name: string }[]).map((c) => c.name);
    return `${i.unique ? 'unique ' : ''}(${cols.join(', ')})`;
  });
  assert.ok(metricIndexes.includes('unique (run_id, name, step)'), metricIndexes.join('; '));
  assert.ok(metricIndexes.includes('(run_id, step)'), metricIndexes.join('; '));
  db.close();
});

test('001 constraints: status list, JSON, cascade', () => {
  const db = migratedTo1();
  const insertRun = db.prepare<[string]>(
    "INSERT INTO runs (name, method, status, config_json, created_at) VALUES ('r', 'lora', ?, '{}', 0)",
  );
  // The CHECK spells the statuses out; it must accept exactly the code's list.
  for (const status of RUN_STATUSES) insertRun.run(status);
  assert.throws(() => insertRun.run('paused'), /CHECK constraint failed/);
  assert.throws(
    () => db.prepare("INSERT INTO runs (name, method, config_json, created_at) VALUES ('r', 'lora', 'not json', 0)").run(),
    /CHECK constraint failed/,
  );
  db.prepare('INSERT INTO metrics (run_id, step, name, value, wall_time) VALUES (1, 0, ?, 1.5, 0)').run('loss');
  assert.throws(
    () => db.prepare("INSERT INTO metrics (run_id, step, name, value, wall_time) VALUES (1, 0, 'loss', 2, 0)").run(),
    /UNIQUE constraint failed/,
  );
  assert.throws(
    () => db.prepare("INSERT INTO metrics (run_id, step, name, value, wall_time) VALUES (999, 0, 'loss', 2, 0)").run(),
    /FOREIGN KEY constraint failed/,
  );
  db.prepare("INSERT INTO tags (run_id, tag) VALUES (1, 'a')").run();
  db.prepare("INSERT INTO artifacts (run_id, kind, path, created_at) VALUES (1, 'adapter', '/x', 0)").run();
  db.prepare('DELETE FROM runs WHERE id = 1').run();
  assert.equal(db.prepare('SELECT count(*) FROM metrics').pluck().get(), 0);
  assert.equal(db.prepare('SELECT count(*) FROM tags').pluck().get(), 0);
  assert.equal(db.prepare('SELECT run_id FROM artifacts').pluck().get(), null, 'artifacts outlive their run');
  db.close();
});
