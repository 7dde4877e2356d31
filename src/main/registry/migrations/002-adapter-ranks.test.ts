// Schema version 2 adds adapter_ranks on top of a version-1 database without touching its rows.
// Run: node --import tsx --test src/main/registry/migrations/002-adapter-ranks.test.ts
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../testdata/temp';
import { MIGRATIONS, migrate, userVersion } from './index';

test('002 migrates a v1 registry with runs in it and cascades ranks with their run', () => {
  const db = new Database(join(tempDir(), 'v1-to-v2.sqlite'));
  db.pragma('foreign_keys = ON');
  assert.equal(migrate(db, MIGRATIONS, 1), 1);
  db.prepare("INSERT INTO runs (name, method, config_json, created_at) VALUES ('old', 'lora', '{}', 1)").run();
  assert.equal(migrate(db, MIGRATIONS, 2), 2);
  assert.equal(userVersion(db), 2);
  const cols = (db.pragma('table_info(adapter_ranks)') as { name: string; type: string; notnull: number; pk: number }[]).map((c) => `${c.name} ${c.type}${c.notnull ? ' NOT NULL' : ''}${c.pk ? ` PK${c.pk}` : ''}`);
  assert.deepEqual(cols, ['run_id INTEGER NOT NULL PK1', 'step INTEGER NOT NULL PK2', 'module TEXT NOT NULL PK3', 'rank INTEGER NOT NULL']);
  assert.equal(db.prepare('SELECT count(*) FROM runs').pluck().get(), 1);
  db.prepare("INSERT INTO adapter_ranks VALUES (1, 3, 'q', 4)").run();
  assert.throws(() => db.prepare("INSERT INTO adapter_ranks VALUES (1, 3, 'k', -1)").run(), /CHECK/);
  assert.throws(() => db.prepare("INSERT INTO adapter_ranks VALUES (7, 3, 'k', 1)").run(), /FOREIGN KEY/);
  db.prepare('DELETE FROM runs WHERE id = 1').run();
  assert.equal(db.prepare('SELECT count(*) FROM adapter_ranks').pluck().get(), 0);
  db.close();
});
