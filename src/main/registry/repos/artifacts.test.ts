// Artifacts: meta round-trips as JSON; artifacts without a run are allowed; a save
// into a path already recorded for the run updates that row.
// Run: node --import tsx --test src/main/registry/repos/artifacts.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openRegistry } from '../index';
import { tempRegistryPath } from '../testdata/temp';

test('meta round-trips; forRun lists in insertion order', () => {
  const reg = openRegistry(tempRegistryPath());
  const runId = reg.runs.create({ name: 'a', method: 'lora', config: {} }).id;
  const meta = { dtype: 'bfloat16', shards: 2, targets: ['q_proj'], nested: { ok: true, none: null }, ratio: 0.125 };
  const adapter = reg.artifacts.add({ runId, kind: 'adapter', path: '/out/adapter', meta });
  assert.deepEqual(adapter.meta, meta);
  const merged = reg.artifacts.add({ runId, kind: 'merged-model', path: '/out/merged' });
  assert.deepEqual(merged.meta, {});
  const loose = reg.artifacts.add({ runId: null, kind: 'merged-model', path: '/elsewhere' });
  assert.equal(loose.runId, null);

  assert.deepEqual(reg.artifacts.forRun(runId), [adapter, merged]);
  assert.ok(adapter.createdAt > 0);
  assert.throws(() => reg.artifacts.add({ runId: 999, kind: 'adapter', path: '/x' }), /run 999 not found/);
  assert.throws(() => reg.artifacts.add({ runId, kind: '', path: '/x' }), /kind must be a non-empty string/);
  reg.close();
});

test('saving again into a recorded folder updates its row instead of adding one', () => {
  const reg = openRegistry(tempRegistryPath());
  const runId = reg.runs.create({ name: 'resumed', method: 'lora', config: {} }).id;
  const first = reg.artifacts.add({ runId, kind: 'adapter', path: '/runs/1/adapter', meta: { step: 40 } });
  // A resumed run writes its adapter into the same folder when it ends.
  const again = reg.artifacts.add({ runId, kind: 'adapter', path: '/runs/1/adapter', meta: { step: 100 } });
  assert.equal(again.id, first.id);
  assert.deepEqual(again.meta, { step: 100 });
  assert.ok(again.createdAt >= first.createdAt);
  assert.deepEqual(reg.artifacts.forRun(runId), [again]);
  assert.deepEqual(reg.artifacts.findByPath('/runs/1/adapter'), again);

  // Another kind at that path, another run's folder, or no run at all stay rows of their own.
  const merged = reg.artifacts.add({ runId, kind: 'merged-model', path: '/runs/1/adapter' });
  assert.notEqual(merged.id, first.id);
  const other = reg.runs.create({ name: 'other', method: 'lora', config: {} }).id;
  assert.notEqual(reg.artifacts.add({ runId: other, kind: 'adapter', path: '/runs/1/adapter' }).id, first.id);
  const loose = reg.artifacts.add({ runId: null, kind: 'merged-model', path: '/m', meta: { n: 1 } });
  assert.equal(reg.artifacts.add({ runId: null, kind: 'merged-model', path: '/m', meta: { n: 2 } }).id, loose.id);
  assert.equal(reg.artifacts.list({ kind: 'merged-model' }).length, 2);
  reg.close();
});
