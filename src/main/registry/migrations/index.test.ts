// The migration runner: contiguous versions, idempotence, one transaction each.
// Run: node --import tsx --test src/main/registry/migrations/index.test.ts
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../testdata/temp';
import { LATEST_VERSION, MIGRATIONS, checkMigrations, migrate, userVersion, type Migration } from './index';

const noop = (version: number): Migration => ({ version, name: `m${version}`, up: () => {} });

test('the shipped list runs 1..N without gaps', () => {
  assert.doesNotThrow(() => checkMigrations(MIGRATIONS));
  assert.equal(LATEST_VERSION, MIGRATIONS.length);
  MIGRATIONS.forEach((m, i) => assert.equal(m.version, i + 1));
});

test('checkMigrations refuses gaps, duplicates and a wrong start', () => {
  assert.throws(() => checkMigrations([noop(1), noop(3)]), /position 2 holds version 3/);
  assert.throws(() => checkMigrations([noop(1), noop(1)]), /not contiguous/);
  assert.throws(() => checkMigrations([noop(2)]), /position 1 holds version 2/);
  assert.doesNotThrow(() => checkMigrations([]));
});

test('migrating twice is a no-op the second time', () => {
  const db = new Database(join(tempDir(), 'twice.sqlite'));
  assert.equal(migrate(db), LATEST_VERSION);
  const schema = db.prepare('SELECT sql FROM sqlite_master ORDER BY name').pluck().all();
  assert.equal(migrate(db), LATEST_VERSION);
  assert.deepEqual(db.prepare('SELECT sql FROM sqlite_master ORDER BY name').pluck().all(), schema);
  assert.equal(db.prepare('SELECT count(*) FROM schema_version').pluck().get(), LATEST_VERSION);
  db.close();
});

test('a failing migration rolls back whole and leaves the earlier version', () => {
  const db = new Database(join(tempDir(), 'fail.sqlite'));
  const broken: Migration = {
    version: 2,
    name: 'broken',
    up(d) {
      d.exec('CREATE TABLE half_done (x)');
      throw new Error('boom');
    },
  };
  assert.throws(() => migrate(db, [MIGRATIONS[0] as Migration, broken]), /boom/);
  assert.equal(userVersion(db), 1);
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").pluck().get(), 0);
  assert.deepEqual(db.prepare('SELECT version FROM schema_version').pluck().all(), [1]);
  db.close();
});

test('target stops the runner at a given version', () => {
  const db = new Database(join(tempDir(), 'target.sqlite'));
  assert.equal(migrate(db, MIGRATIONS, 0), 0);
  assert.equal(db.prepare('SELECT count(*) FROM sqlite_master').pluck().get(), 0);
  db.close();
});
