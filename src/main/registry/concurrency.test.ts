// WAL: two connections to one file, as the UI (reader) and an engine (writer) have.
// Run: node --import tsx --test src/main/registry/concurrency.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openRegistry } from './index';
import { tempRegistryPath } from './testdata/temp';

test('a second connection sees metrics committed by the first', () => {
  const path = tempRegistryPath();
  const writer = openRegistry(path);
  const reader = openRegistry(path);
  const readOnly = openRegistry(path, { readonly: true });
  const runId = writer.runs.create({ name: 'live', method: 'lora', config: {} }).id;

  let seen = reader.metrics.maxId();
  const received: number[] = [];
  for (let step = 0; step < 20; step++) {
    writer.metrics.append(runId, [{ step, name: 'loss', value: 10 - step / 4, wallTime: Date.now() }]);
    const fresh = reader.metrics.tail(seen);
    assert.equal(fresh.length, 1, `step ${step} visible to the reader right after commit`);
    received.push(...fresh.map((r) => r.step));
    seen = fresh.at(-1)!.id;
  }
  assert.deepEqual(received, Array.from({ length: 20 }, (_, i) => i));
  assert.deepEqual(readOnly.runs.lastLoss(runId), { step: 19, value: 10 - 19 / 4 });

  // Either side may write; the other sees it.
  reader.tags.add(runId, 'from-reader');
  assert.deepEqual(writer.tags.forRun(runId), ['from-reader']);
  reader.runs.markRunning(runId, process.pid);
  assert.equal(readOnly.runs.get(runId)?.status, 'crashed', 'this test runner is not an engine, and readers say so');

  readOnly.close();
  reader.close();
  writer.close();
});
