// AdaLoRA ranks per masking step: record, replace on a repeated step, final ranks, cascade on delete.
// Run: node --import tsx --test src/main/registry/repos/ranks.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openRegistry } from '../index';
import { tempRegistryPath } from '../testdata/temp';

test('ranks: record, replace, final, per run', () => {
  const path = tempRegistryPath();
  const reg = openRegistry(path);
  const a = reg.runs.create({ name: 'a', method: 'adalora', config: {} }).id;
  const b = reg.runs.create({ name: 'b', method: 'adalora', config: {} }).id;
  reg.ranks.record(a, 5, [{ module: 'q', rank: 6 }, { module: 'v', rank: 5 }]);
  reg.ranks.record(a, 10, [{ module: 'q', rank: 4 }, { module: 'v', rank: 3 }]);
  reg.ranks.record(a, 10, [{ module: 'q', rank: 5 }, { module: 'v', rank: 2 }]); // a resume re-records step 10
  reg.ranks.record(b, 1, [{ module: 'q', rank: 1 }]);
  assert.deepEqual(reg.ranks.forRun(a), [
    { step: 5, module: 'q', rank: 6 },
    { step: 5, module: 'v', rank: 5 },
    { step: 10, module: 'q', rank: 5 },
    { step: 10, module: 'v', rank: 2 },
  ]);
  assert.deepEqual(reg.ranks.final(a), [
    { step: 10, module: 'q', rank: 5 },
    { step: 10, module: 'v', rank: 2 },
  ]);
  assert.deepEqual(reg.ranks.final(999), []);
  assert.throws(() => reg.ranks.record(999, 1, [{ module: 'q', rank: 1 }]), /run 999 not found/);
  assert.throws(() => reg.ranks.record(a, 1, [{ module: 'q', rank: -1 }]), /rank ≥ 0/);
  reg.close();
  // The rows are on disk, and go with their run.
  const again = openRegistry(path);
  assert.equal(again.ranks.forRun(a).length, 4);
  again.runs.finish(a, 'completed');
  again.runs.delete(a);
  assert.deepEqual(again.ranks.forRun(a), []);
  assert.equal(again.ranks.forRun(b).length, 1);
  again.close();
});
