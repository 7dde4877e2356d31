// The runs.metrics cache: an ended run's answer is kept until the run changes
// (a resume makes it active, and its next end has a new ended_at); an active
// run is always read; the cache stays within its point budget.
// Run: node --import tsx --test src/main/services/series-cache.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openRegistry } from '../registry/index';
import { tempRegistryPath } from '../registry/testdata/temp';
import { SeriesCache } from './series-cache';

const pts = (from: number, to: number, value: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ step: from + i, name: 'loss', value, wallTime: 1000 + from + i }));

test('an ended run is read once per end; an active one every time', async () => {
  const reg = openRegistry(tempRegistryPath());
  try {
    const cache = new SeriesCache();
    let reads = 0;
    const ask = (runId: number) =>
      cache.get(reg.runs.get(runId)!, { maxPoints: 100 }, () => {
        reads++;
        return reg.metrics.series(runId, { maxPoints: 100 });
      });
    // Queued (owned by this process): active, as while an engine trains it.
    const { id } = reg.runs.create({ name: 'c', method: 'lora', config: {} });
    reg.metrics.append(id, pts(1, 10, 2));
    ask(id);
    ask(id);
    assert.equal(reg.runs.get(id)!.status, 'queued');
    assert.equal(reads, 2, 'an active run is read every time');

    reg.runs.finish(id, 'stopped');
    const first = ask(id);
    assert.equal(ask(id), first, 'the same answer, not read again');
    assert.equal(reads, 3);
    assert.notEqual(cache.get(reg.runs.get(id)!, { maxPoints: 200 }, () => (reads++, [])), first, 'another request is another entry');
    assert.equal(reads, 4);

    // A resume: active again, re-logs steps after its checkpoint and goes on, then ends anew.
    reg.runs.claim(id, process.pid);
    reg.metrics.append(id, pts(6, 20, 1));
    ask(id);
    assert.equal(reads, 5, 'read while it is active again');
    await new Promise((resolve) => setTimeout(resolve, 5)); // a later ended_at
    reg.runs.finish(id, 'completed');
    const after = ask(id);
    assert.equal(reads, 6, 'the resumed run is read again once it has ended');
    assert.deepEqual(after[0]!.steps, Array.from({ length: 20 }, (_, i) => i + 1));
    assert.deepEqual(after[0]!.values.slice(4, 6), [2, 1]);
  } finally {
    reg.close();
  }
});

test('entries beyond the point budget are dropped, least recently used first', () => {
  const cache = new SeriesCache(25);
  const col = (n: number) => [{ name: 'loss', steps: Array.from({ length: n }, (_, i) => i), values: Array.from({ length: n }, () => 1), wallTimes: Array.from({ length: n }, () => 0), total: n }];
  let reads = 0;
  const ask = (id: number, n = 10) => cache.get({ id, status: 'completed', endedAt: 1 }, {}, () => (reads++, col(n)));
  ask(1);
  ask(2);
  ask(1); // 1 is now the most recent
  ask(3); // 30 points > 25: run 2 goes
  assert.equal(reads, 3);
  ask(1);
  ask(3);
  assert.equal(reads, 3, 'runs 1 and 3 stayed');
  ask(2);
  assert.equal(reads, 4, 'run 2 was dropped');
  ask(4, 26); // larger than the whole budget: answered, not kept
  ask(4, 26);
  assert.equal(reads, 6);
});
