// A run's summary duration is the time it ran: a resumed run does not count the
// time it sat stopped (the registry records each segment's start), and a run under
// way counts its open segment up to now.
// Run: node --import tsx --test src/main/services/run-summary.test.ts
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { openRegistry } from '../registry/index';
import { tempRegistryPath } from '../registry/testdata/temp';
import { toSummary } from './run-summary';

const MIN = 60_000;

test('a resumed run lasts the sum of its running segments, not first start to last end', (t) => {
  // The registry stamps times with Date.now(); the clock is moved, not the code.
  mock.timers.enable({ apis: ['Date'], now: 1_700_000_000_000 });
  t.after(() => mock.timers.reset());
  const reg = openRegistry(tempRegistryPath(), { ownerProbe: { isEngine: () => true, isAlive: () => true } });
  t.after(() => reg.close());
  const run = reg.runs.create({ name: 'resumed', method: 'lora', config: { model: 'm' } });
  assert.equal(toSummary(reg, reg.runs.get(run.id)!).durationMs, null, 'never started');

  reg.runs.markRunning(run.id, 4242);
  mock.timers.tick(1.5 * MIN);
  assert.equal(toSummary(reg, reg.runs.get(run.id)!).durationMs, 1.5 * MIN, 'running: up to now');
  reg.runs.finish(run.id, 'stopped');
  mock.timers.tick(14 * MIN); // stopped for 14 minutes
  assert.equal(toSummary(reg, reg.runs.get(run.id)!).durationMs, 1.5 * MIN);

  reg.runs.claim(run.id);
  mock.timers.tick(5_000); // queued, waiting for its engine
  assert.equal(toSummary(reg, reg.runs.get(run.id)!).durationMs, 1.5 * MIN, 'queued: no segment open');
  reg.runs.markRunning(run.id, 4343);
  mock.timers.tick(MIN);
  reg.runs.finish(run.id, 'completed');
  mock.timers.tick(10 * MIN);

  const row = reg.runs.get(run.id)!;
  assert.equal(row.endedAt! - row.startedAt!, 1.5 * MIN + 14 * MIN + 5_000 + MIN, 'first start to last end, stops included');
  assert.equal(toSummary(reg, row).durationMs, 2.5 * MIN);
});

test('a crash found by a reader closes the open segment at the time it was found', (t) => {
  mock.timers.enable({ apis: ['Date'], now: 1_700_000_000_000 });
  t.after(() => mock.timers.reset());
  let alive = true;
  const reg = openRegistry(tempRegistryPath(), { ownerProbe: { isEngine: () => alive, isAlive: () => alive } });
  t.after(() => reg.close());
  const run = reg.runs.create({ name: 'crashes', method: 'lora', config: { model: 'm' } });
  reg.runs.markRunning(run.id, 4242);
  mock.timers.tick(2 * MIN);
  alive = false;
  const row = reg.runs.get(run.id)!;
  assert.equal(row.status, 'crashed');
  assert.equal(row.segmentStartedAt, null);
  assert.equal(toSummary(reg, row).durationMs, 2 * MIN);
});
