// Opening the registry: pragmas, idempotent reopen, refusal of newer schemas,
// and clear errors for files that cannot be opened.
// Run: node --import tsx --test src/main/registry/db.test.ts
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from './db';
import { REGISTRY_SCHEMA_VERSION, RegistryError, RegistryVersionError, openRegistry } from './index';
import { tempDir, tempRegistryPath } from './testdata/temp';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('explicit pragmas: WAL, foreign keys, busy timeout, synchronous NORMAL', () => {
  const db = openDatabase(tempRegistryPath());
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
  assert.equal(db.pragma('synchronous', { simple: true }), 1); // NORMAL
  db.close();
});

test('creates missing parent folders', () => {
  const path = join(tempDir(), 'a', 'b', 'registry.sqlite');
  const reg = openRegistry(path);
  assert.equal(reg.path, path);
  assert.equal(reg.schemaVersion, REGISTRY_SCHEMA_VERSION);
  reg.close();
  assert.ok(existsSync(path));
});

test('opening twice is idempotent and keeps the data', () => {
  const path = tempRegistryPath();
  const first = openRegistry(path);
  const run = first.runs.create({ name: 'a', method: 'lora', config: { x: 1 } });
  first.close();
  first.close(); // closing twice is harmless
  const second = openRegistry(path);
  assert.equal(second.schemaVersion, REGISTRY_SCHEMA_VERSION);
  assert.deepEqual(second.runs.get(run.id), run);
  second.close();
  const raw = new Database(path, { readonly: true });
  assert.equal(raw.prepare('SELECT count(*) FROM schema_version').pluck().get(), REGISTRY_SCHEMA_VERSION);
  raw.close();
});

test('a database from a newer LoRA Lab is refused, named, and left untouched', () => {
  const path = tempRegistryPath();
  const newer = REGISTRY_SCHEMA_VERSION + 5;
  const raw = new Database(path);
  raw.exec('CREATE TABLE future (x); INSERT INTO future VALUES (1);');
  raw.pragma(`user_version = ${newer}`);
  raw.close();
  const before = sha(path);

  for (const readonly of [false, true]) {
    assert.throws(
      () => openRegistry(path, { readonly }),
      (err: unknown) => {
        assert.ok(err instanceof RegistryVersionError);
        assert.ok(err instanceof RegistryError);
        assert.equal(err.code, 'REGISTRY_VERSION');
        assert.equal(err.databaseVersion, newer);
        assert.equal(err.supportedVersion, REGISTRY_SCHEMA_VERSION);
        assert.match(err.message, new RegExp(`version ${newer}\\b`));
        assert.match(err.message, new RegExp(`version ${REGISTRY_SCHEMA_VERSION}\\b`));
        assert.ok(err.message.includes(path));
        return true;
      },
    );
  }
  assert.equal(sha(path), before, 'the file is byte for byte unchanged');
  const check = new Database(path, { readonly: true });
  assert.equal(check.pragma('journal_mode', { simple: true }), 'delete', 'journal mode was not switched to WAL');
  check.close();
});

test('read-only: refuses a missing file and one that needs migrating', () => {
  const missing = tempRegistryPath();
  assert.throws(() => openRegistry(missing, { readonly: true }), (err: unknown) => {
    assert.ok(err instanceof RegistryError);
    assert.equal(err.code, 'REGISTRY_OPEN_FAILED');
    assert.ok(err.message.includes(missing));
    return true;
  });
  assert.ok(!existsSync(missing));

  const old = tempRegistryPath();
  new Database(old).close(); // an empty database: user_version 0
  assert.throws(() => openRegistry(old, { readonly: true }), RegistryVersionError);
});

test('read-only: reads what a writer wrote and cannot write', () => {
  const path = tempRegistryPath();
  const writer = openRegistry(path);
  const run = writer.runs.create({ name: 'a', method: 'qlora', config: {} });
  const reader = openRegistry(path, { readonly: true });
  assert.equal(reader.runs.get(run.id)?.name, 'a');
  assert.throws(() => reader.runs.create({ name: 'b', method: 'lora', config: {} }), /readonly/i);
  reader.close();
  writer.close();
});

test('a file that is not SQLite gets a clear error naming it', () => {
  const path = join(tempDir(), 'garbage.sqlite');
  writeFileSync(path, 'this is not a database, just text that is long enough to fill a header page'.repeat(20));
  assert.throws(() => openRegistry(path), (err: unknown) => {
    assert.ok(err instanceof RegistryError);
    assert.equal(err.code, 'REGISTRY_OPEN_FAILED');
    assert.ok(err.message.includes(path));
    assert.match(err.message, /not a database/);
    return true;
  });
});
