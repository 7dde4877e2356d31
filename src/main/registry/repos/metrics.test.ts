// Metrics: batched upsert, per-run reads, tail by id, non-finite values.
// Run: node --import tsx --test src/main/registry/repos/metrics.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordedMetricPoint } from '../../../shared/ipc/schemas';
import { RegistryError, openRegistry, type Registry } from '../index';
import { tempRegistryPath } from '../testdata/temp';

function withRun(): { reg: Registry; runId: number } {
  const reg = openRegistry(tempRegistryPath());
  test.after(() => reg.close());
  return { reg, runId: reg.runs.create({ name: 'm', method: 'lora', config: {} }).id };
}

const pt = (step: number, name: string, value: number): RecordedMetricPoint => ({ step, name, value, wallTime: 1_700_000_000_000 + step });

test('append then forRun: ordered by step then name', () => {
  const { reg, runId } = withRun();
  reg.metrics.append(runId, [pt(2, 'loss', 2), pt(1, 'lr', 0.1), pt(1, 'loss', 3), pt(2, 'lr', 0.2)]);
  assert.deepEqual(reg.metrics.forRun(runId), [pt(1, 'loss', 3), pt(1, 'lr', 0.1), pt(2, 'loss', 2), pt(2, 'lr', 0.2)]);
  assert.deepEqual(reg.metrics.forRun(runId, { afterStep: 1 }), [pt(2, 'loss', 2), pt(2, 'lr', 0.2)]);
  assert.deepEqual(reg.metrics.forRun(runId, { names: ['lr'] }), [pt(1, 'lr', 0.1), pt(2, 'lr', 0.2)]);
  assert.deepEqual(reg.metrics.forRun(runId, { afterStep: 1, names: ['loss', 'nope'] }), [pt(2, 'loss', 2)]);
  assert.deepEqual(reg.metrics.forRun(runId, { names: [] }), []);
  assert.deepEqual(reg.metrics.forRun(runId + 1), []);
  reg.metrics.append(runId, []); // nothing to do, no error
});

test('a repeated (run, name, step) replaces the value, also within one batch', () => {
  const { reg, runId } = withRun();
  reg.metrics.append(runId, [pt(5, 'loss', 1.5), pt(6, 'loss', 1.4)]);
  reg.metrics.append(runId, [pt(5, 'loss', 1.25), pt(7, 'loss', 1.3), pt(7, 'loss', 1.2)]);
  assert.deepEqual(reg.metrics.forRun(runId).map((p) => [p.step, p.value]), [[5, 1.25], [6, 1.4], [7, 1.2]]);
});

test('tail returns rows after an id, oldest first, across runs, limited', () => {
  const { reg, runId } = withRun();
  const other = reg.runs.create({ name: 'other', method: 'qlora', config: {} }).id;
  assert.equal(reg.metrics.maxId(), 0);
  assert.deepEqual(reg.metrics.tail(0), []);
  reg.metrics.append(runId, [pt(0, 'loss', 1), pt(1, 'loss', 2)]);
  reg.metrics.append(other, [pt(0, 'loss', 9)]);
  reg.metrics.append(runId, [pt(2, 'loss', 3)]);

  const all = reg.metrics.tail(0);
  assert.deepEqual(all.map((r) => [r.runId, r.step, r.value]), [[runId, 0, 1], [runId, 1, 2], [other, 0, 9], [runId, 2, 3]]);
  assert.ok(all.every((r, i) => i === 0 || r.id > all[i - 1]!.id), 'ids strictly increase');
  assert.equal(reg.metrics.maxId(), all.at(-1)!.id);
  assert.deepEqual(reg.metrics.tail(all[1]!.id).map((r) => r.value), [9, 3]);
  assert.deepEqual(reg.metrics.tail(0, 2).map((r) => r.value), [1, 2]);
  assert.deepEqual(reg.metrics.tail(reg.metrics.maxId()), []);
  assert.throws(() => reg.metrics.tail(0, 0), /positive integer/);
});

test('a replaced value reappears in the tail with a fresh id', () => {
  // A resumed run re-logs steps after its checkpoint; a live reader must see the new values.
  const { reg, runId } = withRun();
  reg.metrics.append(runId, [pt(0, 'loss', 1), pt(1, 'loss', 2), pt(2, 'loss', 3)]);
  const seen = reg.metrics.maxId();
  reg.metrics.append(runId, [pt(1, 'loss', 1.5), pt(2, 'loss', 2.5)]);
  const fresh = reg.metrics.tail(seen);
  assert.deepEqual(fresh.map((r) => [r.step, r.value]), [[1, 1.5], [2, 2.5]]);
  assert.ok(fresh.every((r) => r.id > seen));
  reg.metrics.append(runId, [pt(3, 'loss', 4)]);
  const next = reg.metrics.tail(fresh.at(-1)!.id);
  assert.deepEqual(next.map((r) => r.step), [3], 'ids are never reused');
  assert.equal(reg.metrics.tail(0).length, 4, 'still one row per (run, name, step)');
});

test('NaN is refused with a clear error and nothing of the batch is stored', () => {
  const { reg, runId } = withRun();
  assert.throws(
    () => reg.metrics.append(runId, [pt(0, 'loss', 1), pt(1, 'loss', Number.NaN)]),
    (err: unknown) => {
      assert.ok(err instanceof RegistryError);
      assert.equal(err.code, 'REGISTRY_INVALID_INPUT');
      assert.match(err.message, /metric #1 \("loss" at step 1\) of run \d+: value is NaN/);
      return true;
    },
  );
  assert.deepEqual(reg.metrics.forRun(runId), []);
});

test('+Infinity and -Infinity round-trip', () => {
  const { reg, runId } = withRun();
  reg.metrics.append(runId, [pt(0, 'loss', Number.POSITIVE_INFINITY), pt(0, 'grad_norm', Number.NEGATIVE_INFINITY)]);
  const byName = Object.fromEntries(reg.metrics.forRun(runId).map((p) => [p.name, p.value]));
  assert.deepEqual(byName, { grad_norm: Number.NEGATIVE_INFINITY, loss: Number.POSITIVE_INFINITY });
  assert.deepEqual(reg.runs.lastLoss(runId), { step: 0, value: Number.POSITIVE_INFINITY });
});

test('bad points and unknown runs are refused with named errors', () => {
  const { reg, runId } = withRun();
  assert.throws(() => reg.metrics.append(runId, [pt(-1, 'loss', 1)]), /step must be a non-negative integer, got -1/);
  assert.throws(() => reg.metrics.append(runId, [pt(1.5, 'loss', 1)]), /step must be a non-negative integer/);
  assert.throws(() => reg.metrics.append(runId, [pt(1, '', 1)]), /name must be a non-empty string/);
  assert.throws(() => reg.metrics.append(runId, [{ ...pt(1, 'loss', 1), wallTime: Number.NaN }]), /wallTime/);
  assert.throws(
    () => reg.metrics.append(runId + 50, [pt(0, 'loss', 1)]),
    (err: unknown) => err instanceof RegistryError && err.code === 'REGISTRY_NOT_FOUND' && /run \d+ not found/.test(err.message),
  );
  assert.deepEqual(reg.metrics.forRun(runId), []);
});

test('series: columns per name, after a step, reduced to maxPoints with the extremes kept', () => {
  const { reg, runId } = withRun();
  const points: RecordedMetricPoint[] = [];
  for (let step = 1; step <= 1000; step++) {
    points.push(pt(step, 'loss', step === 500 ? 99 : step === 900 ? -Infinity : 3 - step / 1000));
    if (step % 100 === 0) points.push(pt(step, 'eval_loss', 4 - step / 1000));
  }
  reg.metrics.append(runId, points);

  const all = reg.metrics.series(runId);
  assert.deepEqual(all.map((s) => [s.name, s.steps.length, s.total]), [['eval_loss', 10, 10], ['loss', 1000, 1000]]);
  const evals = all[0]!;
  assert.deepEqual(evals.steps, [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  assert.deepEqual(evals.values.slice(0, 2), [3.9, 3.8]);
  assert.deepEqual(evals.wallTimes.slice(0, 2), [1_700_000_000_100, 1_700_000_000_200]);

  const reduced = reg.metrics.series(runId, { names: ['loss', 'eval_loss', 'nope'], maxPoints: 100 });
  const [e, loss] = reduced;
  assert.equal(reduced.length, 2);
  assert.deepEqual(e!.steps.length, 10, 'a series within maxPoints stays whole');
  assert.equal(loss!.total, 1000);
  assert.ok(loss!.steps.length <= 100 && loss!.steps.length >= 50, `${loss!.steps.length} points`);
  assert.equal(loss!.values[loss!.steps.indexOf(500)], 99, 'the spike survives');
  assert.equal(loss!.values[loss!.steps.indexOf(900)], -Infinity);
  assert.equal(loss!.steps[0], 1);
  assert.equal(loss!.steps.at(-1), 1000);

  const after = reg.metrics.series(runId, { afterStep: 995 });
  assert.deepEqual(after.map((s) => [s.name, s.steps]), [['eval_loss', [1000]], ['loss', [996, 997, 998, 999, 1000]]]);
  assert.deepEqual(reg.metrics.series(runId, { afterStep: 1000 }), []);
  assert.deepEqual(reg.metrics.series(runId + 1), []);
});

test('series reads exact doubles and ±Infinity, across read pages of a long series', () => {
  const { reg, runId } = withRun();
  const awkward = [0.1 + 0.2, 1 / 3, 5e-324, 1.7976931348623157e308, -2.2250738585072014e-308, 123456789.12345679, Infinity, -Infinity];
  reg.metrics.append(runId, awkward.map((v, i) => pt(i + 1, 'grad_norm', v)));
  assert.deepEqual(reg.metrics.series(runId, { names: ['grad_norm'] })[0]!.values, awkward);

  // More points than one read page (65,536): the exact read has them all, in order.
  const n = 70_000;
  const points: RecordedMetricPoint[] = [];
  for (let step = 1; step <= n; step++) points.push(pt(step, 'loss', Math.sin(step) + step / n));
  reg.metrics.append(runId, points);
  const [exact] = reg.metrics.series(runId, { names: ['loss'] });
  assert.equal(exact!.steps.length, n);
  assert.equal(exact!.total, n);
  assert.ok(exact!.steps.every((s, i) => s === i + 1));
  assert.deepEqual(exact!.values.slice(65_535, 65_538), points.slice(65_535, 65_538).map((p) => p.value));
  const [reduced] = reg.metrics.series(runId, { names: ['loss'], maxPoints: 1000 });
  assert.equal(reduced!.total, n);
  assert.equal(reduced!.steps.at(-1), n);
  assert.equal(Math.max(...reduced!.values), Math.max(...points.map((p) => p.value)));
});
