// Runs: create, get, list, the status life cycle (compare-and-set on status and
// owner pid), crash marking, reconciliation of orphans by readers, and lastLoss.
// Run: node --import tsx --test src/main/registry/repos/runs.test.ts
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { RegistryError, openRegistry, type OwnerProbe, type Registry } from '../index';
import { tempRegistryPath } from '../testdata/temp';

/** The life-cycle tests record made-up engine pids; they are taken as alive there. */
const ALL_ALIVE: OwnerProbe = { isEngine: () => true, isAlive: () => true };

/** A registry on a fresh file; `null` asks the operating system about pids. */
function fresh(ownerProbe: OwnerProbe | null = ALL_ALIVE, path = tempRegistryPath()): Registry {
  const reg = openRegistry(path, { ownerProbe: ownerProbe ?? undefined });
  test.after(() => reg.close());
  return reg;
}

/** The pid of a process that has exited (a real one, so the OS probe can be asked about it). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
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
    [null, null, null, process.pid],
  );
  assert.deepEqual(reg.runs.get(run.id), run);
  assert.equal(reg.runs.get(run.id + 100), undefined);

  const child = reg.runs.create({ name: 'more', method: 'adalora', config: {}, parentRunId: run.id });
  assert.equal(child.parentRunId, run.id);
  reg.runs.create({ name: 'unrelated', method: 'lora', config: {} });
  const second = reg.runs.create({ name: 'again', method: 'lora', config: {}, parentRunId: run.id });
  assert.deepEqual(reg.runs.children(run.id), [child.id, second.id], 'children, oldest first');
  assert.deepEqual(reg.runs.children(child.id), []);
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
  assert.throws(() => reg.runs.markRunning(id, 11), /cannot start run \d+: it is failed/, 'an engine starts only a queued run');
  reg.runs.claim(id);
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

test('two claims of one run: exactly one wins, the other is refused and changes nothing', () => {
  const path = tempRegistryPath();
  const a = fresh(ALL_ALIVE, path);
  const b = fresh(ALL_ALIVE, path);
  const { id } = a.runs.create({ name: 'r', method: 'lora', config: {} });
  a.runs.markRunning(id, 500);
  a.runs.finish(id, 'stopped', null, 500);
  a.runs.claim(id, 601);
  assert.throws(() => b.runs.claim(id, 602), (e: unknown) => code('REGISTRY_INVALID_TRANSITION')(e) && /cannot resume run \d+: it is queued \(owned by pid 601\)/.test(String(e)));
  assert.deepEqual([b.runs.get(id)!.status, b.runs.get(id)!.pid], ['queued', 601]);
  // Only an engine of the winner may take the run; the loser's engine is refused.
  assert.throws(() => b.runs.markRunning(id, 702, 602), code('REGISTRY_INVALID_TRANSITION'));
  a.runs.markRunning(id, 701, 601);
  // An engine that does not own the run cannot finish it, nor can a supervisor crash it by another pid.
  assert.throws(() => b.runs.finish(id, 'failed', 'I lost', 702), code('REGISTRY_INVALID_TRANSITION'));
  assert.equal(b.runs.markCrashedIfActive(id, 'not mine', [702, 602]), false);
  assert.deepEqual([a.runs.get(id)!.status, a.runs.get(id)!.pid], ['running', 701]);
  a.runs.finish(id, 'completed', null, 701);
  assert.equal(b.runs.get(id)!.status, 'completed');
});

test('readers reconcile: a running run whose engine pid is dead is crashed, in get, list and a status filter', () => {
  const reg = fresh(null);
  const { id } = reg.runs.create({ name: 'orphan', method: 'lora', config: {} });
  const dead = deadPid();
  reg.runs.markRunning(id, dead);
  const row = reg.runs.get(id)!;
  assert.deepEqual([row.status, row.pid], ['crashed', null]);
  assert.match(row.error!, new RegExp(`engine process ${dead} is no longer running`));
  assert.deepEqual(reg.runs.list({ status: 'running' }), []);

  // A live process that is not an engine (this test runner) does not own a running run either.
  const { id: other } = reg.runs.create({ name: 'stranger', method: 'lora', config: {} });
  reg.runs.markRunning(other, process.pid);
  assert.equal(reg.runs.list().find((r) => r.id === other)!.status, 'crashed');

  // A queued run belongs to the live process that queued it; when that process is gone, it is crashed.
  const { id: queued } = reg.runs.create({ name: 'queued', method: 'lora', config: {} });
  assert.equal(reg.runs.get(queued)!.status, 'queued');
  reg.runs.finish(queued, 'stopped');
  reg.runs.claim(queued, deadPid());
  assert.equal(reg.runs.get(queued)!.status, 'crashed');
  assert.deepEqual(reg.runs.reconcileOrphans(), []);
});

test('a read-only reader reports an orphan crashed without recording it', () => {
  const path = tempRegistryPath();
  const writer = fresh(null, path);
  const { id } = writer.runs.create({ name: 'orphan', method: 'lora', config: {} });
  writer.runs.markRunning(id, deadPid());
  const reader = openRegistry(path, { readonly: true });
  test.after(() => reader.close());
  const seen = reader.runs.get(id)!;
  assert.equal(seen.status, 'crashed');
  assert.match(seen.error!, /not yet recorded/);
  assert.equal(writer.runs.reconcileOrphans().length, 1);
  assert.equal(reader.runs.get(id)!.error!.includes('not yet recorded'), false);
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
