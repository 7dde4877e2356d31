// Runs: create, get, list, the status life cycle, crash marking and lastLoss.
// Run: node --import tsx --test src/main/registry/repos/runs.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegistryError, openRegistry, type Registry } from '../index';
import { tempRegistryPath } from '../testdata/temp';

function fresh(): Registry {
  const reg = openRegistry(tempRegistryPath());
  test.after(() => reg.close());
  return reg;
}

const code = (expected: string) => (err: unknown) => err instanceof RegistryError && err.code === expected;

test('create returns the stored row; get round-trips the config', () => {
  const reg = fresh();
  const before = Date.now();
  const config = { name: 'demo', lora: { r: 8, targets: ['q_proj', 'v_proj'] }, train: { lr: 2e-4 } };
  const run = reg.runs.create({ name: 'demo', method: 'lora', config });
  assert.equal(run.status, 'queued');
  assert.deepEqual(run.config, config);
  assert.equal(run.parentRunId, null);
  assert.ok(run.createdAt >= before && run.createdAt <= Date.now());
  assert.deepEqual(
    [run.startedAt, run.endedAt, run.error, run.pid],
    [null, null, null, null],
  );
  assert.deepEqual(reg.runs.get(run.id), run);
  assert.equal(reg.runs.get(run.id + 100), undefined);

  const child = reg.runs.create({ name: 'more', method: 'adalora', config: {}, parentRunId: run.id });
  assert.equal(child.parentRunId, run.id);
});

test('create validates its input and the parent', () => {
  const reg = fresh();
  assert.throws(() => reg.runs.create({ name: ' ', method: 'lora', config: {} }), code('REGISTRY_INVALID_INPUT'));
  assert.throws(
    () => reg.runs.create({ name: 'x', method: 'prefix' as 'lora', config: {} }),
    /one of lora, qlora, adalora, full, got "prefix"/,
  );
  assert.throws(() => reg.runs.create({ name: 'x', method: 'lora', config: [] as unknown as Record<string, unknown> }), /object/);
  assert.throws(() => reg.runs.create({ name: 'x', method: 'lora', config: {}, parentRunId: 42 }), /parent run 42 not found/);
  assert.deepEqual(reg.runs.list(), []);
});

test('list is newest first, filters by status, honours limit', () => {
  const reg = fresh();
  const ids = ['a', 'b', 'c', 'd'].map((name) => reg.runs.create({ name, method: 'lora', config: {} }).id);
  assert.deepEqual(reg.runs.list().map((r) => r.id), [...ids].reverse());
  assert.deepEqual(reg.runs.list({ limit: 2 }).map((r) => r.id), [ids[3], ids[2]]);
  assert.deepEqual(reg.runs.list({ limit: 0 }), []);
  reg.runs.markRunning(ids[1]!, 1234);
  assert.deepEqual(reg.runs.list({ status: 'running' }).map((r) => r.id), [ids[1]]);
  assert.deepEqual(reg.runs.list({ status: 'queued', limit: 1 }).map((r) => r.id), [ids[3]]);
  assert.throws(() => reg.runs.list({ limit: -1 }), code('REGISTRY_INVALID_INPUT'));
});

test('status life cycle: queued -> running -> completed', () => {
  const reg = fresh();
  const { id } = reg.runs.create({ name: 'a', method: 'lora', config: {} });
  reg.runs.markRunning(id, 4242);
  const running = reg.runs.get(id)!;
  assert.equal(running.status, 'running');
  assert.equal(running.pid, 4242);
  assert.ok(running.startedAt !== null);
  assert.equal(running.endedAt, null);

  assert.throws(() => reg.runs.markRunning(id, 1), /cannot start run \d+: it is running/);
  reg.runs.finish(id, 'completed');
  const done = reg.runs.get(id)!;
  assert.equal(done.status, 'completed');
  assert.equal(done.pid, null, 'finish clears the pid');
  assert.ok(done.endedAt !== null && done.endedAt >= running.startedAt!);
  assert.equal(done.error, null);

  // A completed run is final: neither finished again nor restarted.
  assert.throws(() => reg.runs.finish(id, 'crashed', 'late'), code('REGISTRY_INVALID_TRANSITION'));
  assert.throws(() => reg.runs.markRunning(id, 2), code('REGISTRY_INVALID_TRANSITION'));
  assert.equal(reg.runs.get(id)!.status, 'completed');
});

test('failed with an error, then resumed: error cleared, first start kept', () => {
  const reg = fresh();
  const { id } = reg.runs.create({ name: 'a', method: 'lora', config: {} });
  reg.runs.markRunning(id, 10);
  const startedAt = reg.runs.get(id)!.startedAt;
  reg.runs.finish(id, 'failed', 'loss is NaN at step 12');
  assert.equal(reg.runs.get(id)!.error, 'loss is NaN at step 12');
  reg.runs.markRunning(id, 11);
  const resumed = reg.runs.get(id)!;
  assert.deepEqual([resumed.status, resumed.pid, resumed.error, resumed.endedAt], ['running', 11, null, null]);
  assert.equal(resumed.startedAt, startedAt);
});

test('finish refuses unknown runs and non-final statuses', () => {
  const reg = fresh();
  const { id } = reg.runs.create({ name: 'a', method: 'lora', config: {} });
  assert.throws(() => reg.runs.finish(999, 'completed'), code('REGISTRY_NOT_FOUND'));
  assert.throws(() => reg.runs.markRunning(999, 1), /run 999 not found/);
  assert.throws(() => reg.runs.finish(id, 'running' as 'completed'), code('REGISTRY_INVALID_INPUT'));
  reg.runs.finish(id, 'stopped'); // a queued run may be stopped before it starts
  assert.equal(reg.runs.get(id)!.status, 'stopped');
});

test('markCrashedIfActive affects only queued and running runs', () => {
  const reg = fresh();
  const make = () => reg.runs.create({ name: 'r', method: 'lora', config: {} }).id;
  const queued = make();
  const running = make();
  reg.runs.markRunning(running, 77);
  const completed = make();
  reg.runs.finish(completed, 'completed');
  const failed = make();
  reg.runs.finish(failed, 'failed', 'original reason');

  assert.equal(reg.runs.markCrashedIfActive(queued, 'engine exited with code 1'), true);
  assert.equal(reg.runs.markCrashedIfActive(running, 'engine killed by SIGKILL'), true);
  assert.equal(reg.runs.markCrashedIfActive(completed, 'nope'), false);
  assert.equal(reg.runs.markCrashedIfActive(failed, 'nope'), false);
  assert.equal(reg.runs.markCrashedIfActive(running, 'twice'), false, 'already crashed');
  assert.equal(reg.runs.markCrashedIfActive(999, 'missing'), false);

  const r = reg.runs.get(running)!;
  assert.deepEqual([r.status, r.error, r.pid], ['crashed', 'engine killed by SIGKILL', null]);
  assert.ok(r.endedAt !== null);
  assert.equal(reg.runs.get(completed)!.status, 'completed');
  assert.equal(reg.runs.get(failed)!.error, 'original reason');
});

test('lastLoss is the loss at the highest step, or null', () => {
  const reg = fresh();
  const { id } = reg.runs.create({ name: 'a', method: 'lora', config: {} });
  assert.equal(reg.runs.lastLoss(id), null);
  reg.metrics.append(id, [
    { step: 2, name: 'loss', value: 2.5, wallTime: 1 },
    { step: 10, name: 'lr', value: 1e-4, wallTime: 2 },
    { step: 1, name: 'loss', value: 3.0, wallTime: 0 },
  ]);
  assert.deepEqual(reg.runs.lastLoss(id), { step: 2, value: 2.5 });
  reg.metrics.append(id, [{ step: 2, name: 'loss', value: 2.25, wallTime: 3 }]);
  assert.deepEqual(reg.runs.lastLoss(id), { step: 2, value: 2.25 });
});
