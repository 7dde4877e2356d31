// Tags: add (idempotent), remove, list sorted.
// Run: node --import tsx --test src/main/registry/repos/tags.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openRegistry } from '../index';
import { tempRegistryPath } from '../testdata/temp';

test('add, add again, remove, per run', () => {
  const reg = openRegistry(tempRegistryPath());
  const a = reg.runs.create({ name: 'a', method: 'lora', config: {} }).id;
  const b = reg.runs.create({ name: 'b', method: 'lora', config: {} }).id;
  reg.tags.add(a, 'sweep-1');
  reg.tags.add(a, 'baseline');
  reg.tags.add(a, 'baseline');
  reg.tags.add(b, 'other');
  assert.deepEqual(reg.tags.forRun(a), ['baseline', 'sweep-1']);
  reg.tags.remove(a, 'baseline');
  reg.tags.remove(a, 'never-there');
  assert.deepEqual(reg.tags.forRun(a), ['sweep-1']);
  assert.deepEqual(reg.tags.forRun(b), ['other']);
  assert.throws(() => reg.tags.add(999, 'x'), /run 999 not found/);
  assert.throws(() => reg.tags.add(a, ''), /non-empty string/);
  reg.close();
});
