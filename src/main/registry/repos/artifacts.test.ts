// Artifacts: meta round-trips as JSON; artifacts without a run are allowed.
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
