// Schema version 3 adds the covering metrics_series index to a version-2 registry
// with metrics in it, keeps every row, and one series is then read from the index alone.
// Run: node --import tsx --test src/main/registry/migrations/003-metrics-series-index.test.ts
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../testdata/temp';
import { MIGRATIONS, migrate, userVersion } from './index';

test('003 migrates a v2 registry with metrics and reads a series by index range', () => {
  const db = new Database(join(tempDir(), 'v2-to-v3.sqlite'));
  db.pragma('foreign_keys = ON');
  assert.equal(migrate(db, MIGRATIONS, 2), 2);
  db.prepare("INSERT INTO runs (name, method, config_json, created_at) VALUES ('old', 'lora', '{}', 1)").run();
  const insert = db.prepare('INSERT INTO metrics (run_id, step, name, value, wall_time) VALUES (1, ?, ?, ?, ?)');
  for (let step = 0; step < 50; step++) for (const name of ['loss', 'lr']) insert.run(step, name, step / 10, 1000 + step);
  assert.equal(migrate(db, MIGRATIONS, 3), 3);
  assert.equal(userVersion(db), 3);
  const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'metrics' ORDER BY name").pluck().all();
  assert.deepEqual(indexes, ['metrics_series', 'sqlite_autoindex_metrics_1']);
  const columns = (db.pragma('index_info(metrics_series)') as { name: string }[]).map((c) => c.name);
  assert.deepEqual(columns, ['run_id', 'name', 'step', 'value', 'wall_time']);
  assert.equal(db.prepare('SELECT count(*) FROM metrics').pluck().get(), 100);

  // The read the registry makes for one series: a covering-index range, no table lookups and no sort.
  const read = 'SELECT step, value, wall_time FROM metrics WHERE run_id = ? AND name = ? AND step > ? ORDER BY step';
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${read}`).all(1, 'loss', -1) as { detail: string }[]).map((r) => r.detail);
  assert.deepEqual(plan, ['SEARCH metrics USING COVERING INDEX metrics_series (run_id=? AND name=? AND step>?)']);
  assert.deepEqual(db.prepare(read).raw().all(1, 'loss', 47), [[48, 4.8, 1048], [49, 4.9, 1049]]);

  db.prepare('DELETE FROM runs WHERE id = 1').run();
  assert.equal(db.prepare('SELECT count(*) FROM metrics').pluck().get(), 0);
  db.close();
});
