// Checkpoints: add, list per run, latest.
// Run: node --import tsx --test src/main/registry/repos/checkpoints.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openRegistry } from '../index';
import { tempRegistryPath } from '../testdata/temp';

test('add, forRun in step order, latest is the newest save of the highest step', () => {
  const reg = openRegistry(tempRegistryPath());
  const runId = reg.runs.create({ name: 'c', method: 'lora', config: {} }).id;
  const other = reg.runs.create({ name: 'o', method: 'lora', config: {} }).id;
  assert.equal(reg.checkpoints.latest(runId), undefined);

  const a = reg.checkpoints.add({ runId, step: 50, path: '/ck/50', bytes: 1234 });
  assert.deepEqual({ ...a, createdAt: 0 }, { id: a.id, runId, step: 50, path: '/ck/50', bytes: 1234, createdAt: 0 });
  reg.checkpoints.add({ runId, step: 100, path: '/ck/100' });
  reg.checkpoints.add({ runId: other, step: 500, path: '/other/500' });
  const resaved = reg.checkpoints.add({ runId, step: 100, path: '/ck/100-resumed', bytes: 99 });

  assert.deepEqual(reg.checkpoints.forRun(runId).map((c) => [c.step, c.path, c.bytes]), [
    [50, '/ck/50', 1234],
    [100, '/ck/100', null],
    [100, '/ck/100-resumed', 99],
  ]);
  assert.deepEqual(reg.checkpoints.latest(runId), resaved);
  assert.equal(reg.checkpoints.latest(other)?.path, '/other/500');

  assert.throws(() => reg.checkpoints.add({ runId: 999, step: 1, path: '/x' }), /run 999 not found/);
  assert.throws(() => reg.checkpoints.add({ runId, step: -1, path: '/x' }), /non-negative integer/);
  reg.close();
});
