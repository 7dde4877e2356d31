import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricPoint } from '../../../shared/ipc/schemas';
import type { SeriesPoint } from './metrics-merge';
import { EMPTY_SERIES, mergeMetricColumns, mergeMetricPoints, mergeSeries } from './metrics-merge';

const pt = (name: string, step: number, value: MetricPoint['value'] = step, wallTime = step): MetricPoint => ({ name, step, value, wallTime });
const steps = (points: readonly MetricPoint[] | undefined) => points?.map((p) => p.step);

test('contract values become numbers: "Infinity" is +Infinity in the series', () => {
  const s = mergeMetricPoints(EMPTY_SERIES, [pt('grad_norm', 1, 2), pt('grad_norm', 2, 'Infinity'), pt('grad_norm', 3, '-Infinity')]);
  assert.deepEqual(s.get('grad_norm')!.map((p) => p.value), [2, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
});

test('points are grouped by name and ordered by step', () => {
  const s = mergeMetricPoints(EMPTY_SERIES, [pt('loss', 2), pt('eval_loss', 2), pt('loss', 1), pt('loss', 3)]);
  assert.deepEqual(steps(s.get('loss')), [1, 2, 3]);
  assert.deepEqual(steps(s.get('eval_loss')), [2]);
});

test('a duplicate (name, step) replaces the earlier point', () => {
  let s = mergeMetricPoints(EMPTY_SERIES, [pt('loss', 1, 5), pt('loss', 2, 4)]);
  s = mergeMetricPoints(s, [pt('loss', 2, 3.5), pt('loss', 3, 3)]);
  assert.deepEqual(
    s.get('loss')!.map((p) => [p.step, p.value]),
    [
      [1, 5],
      [2, 3.5],
      [3, 3],
    ],
  );
  // within one batch, the later point wins too
  const t = mergeMetricPoints(EMPTY_SERIES, [pt('loss', 4, 1), pt('loss', 4, 2)]);
  assert.deepEqual(t.get('loss')!.map((p) => p.value), [2]);
});

test('history, buffered and live events give one curve whatever the overlap', () => {
  const history = [1, 2, 3, 4, 5].map((i) => pt('loss', i));
  const buffered = [4, 5, 6].map((i) => pt('loss', i)); // pushed while the history was being read
  const live = [[7], [6, 7, 8], [9]].map((b) => b.map((i) => pt('loss', i)));
  let s = mergeMetricPoints(mergeMetricPoints(EMPTY_SERIES, history), buffered);
  for (const batch of live) s = mergeMetricPoints(s, batch);
  assert.deepEqual(steps(s.get('loss')), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('merging is order-independent for equal points', () => {
  const a = [1, 3, 5].map((i) => pt('loss', i));
  const b = [2, 3, 4].map((i) => pt('loss', i));
  const ab = mergeMetricPoints(mergeMetricPoints(EMPTY_SERIES, a), b);
  const ba = mergeMetricPoints(mergeMetricPoints(EMPTY_SERIES, b), a);
  assert.deepEqual(ab.get('loss'), ba.get('loss'));
});

test('inputs are not mutated, and nothing new returns the same series', () => {
  const existing: SeriesPoint[] = [{ name: 'loss', step: 1, value: 1, wallTime: 1 }, { name: 'loss', step: 2, value: 2, wallTime: 2 }];
  const merged = mergeSeries(existing, [{ name: 'loss', step: 0, value: 0, wallTime: 0 }]);
  assert.deepEqual(steps(existing), [1, 2]);
  assert.deepEqual(steps(merged), [0, 1, 2]);
  const s = mergeMetricPoints(EMPTY_SERIES, [pt('loss', 1)]);
  assert.equal(mergeMetricPoints(s, []), s);
  assert.equal(EMPTY_SERIES.size, 0);
});

test('appending a long live run stays linear', () => {
  let s = EMPTY_SERIES;
  for (let i = 0; i < 20_000; i++) s = mergeMetricPoints(s, [pt('loss', i)]);
  assert.equal(s.get('loss')!.length, 20_000);
});

test('runs.metrics columns merge like points; a reduced history then the exact one gives the exact series', () => {
  const reduced = { name: 'loss', steps: [1, 50, 100], values: [3, 'Infinity' as const, 1], wallTimes: [10, 500, 1000], total: 100 };
  let s = mergeMetricColumns(EMPTY_SERIES, [reduced]);
  assert.deepEqual(s.get('loss')!.map((p) => [p.step, p.value, p.wallTime]), [[1, 3, 10], [50, Infinity, 500], [100, 1, 1000]]);
  s = mergeMetricPoints(s, [pt('loss', 101, 0.9)]); // a live point after the read
  const exact = { name: 'loss', steps: Array.from({ length: 100 }, (_, i) => i + 1), values: Array.from({ length: 100 }, () => 2), wallTimes: Array.from({ length: 100 }, (_, i) => i), total: 100 };
  s = mergeMetricColumns(s, [exact]);
  assert.deepEqual(steps(s.get('loss')), [...exact.steps, 101]);
  assert.equal(mergeMetricColumns(s, []), s);
});
