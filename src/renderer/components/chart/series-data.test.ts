import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignSeries, nearestIndex, positiveOnly, readoutAt, smoothEma, valueAtOrBefore, zoomRange } from './series-data';

test('series with different steps share the union of their x, null where absent', () => {
  const loss = { xs: [1, 2, 3, 4], ys: [4, 3, 2, 1] };
  const evalLoss = { xs: [2, 4], ys: [3.5, 1.5] };
  const [xs, a, b] = alignSeries([loss, evalLoss]);
  assert.deepEqual(xs, [1, 2, 3, 4]);
  assert.deepEqual(a, [4, 3, 2, 1]);
  assert.deepEqual(b, [null, 3.5, null, 1.5]);
});

test('disjoint x (runs compared by wall time) interleave in order', () => {
  const [xs, a, b] = alignSeries([
    { xs: [0, 2, 4], ys: [1, 2, 3] },
    { xs: [1, 2, 5], ys: [7, 8, 9] },
  ]);
  assert.deepEqual(xs, [0, 1, 2, 4, 5]);
  assert.deepEqual(a, [1, null, 2, 3, null]);
  assert.deepEqual(b, [null, 7, 8, null, 9]);
});

test('non-finite values become gaps, inputs are not mutated', () => {
  const s = { xs: [0, 1, 2], ys: [1, Number.NaN, Infinity] };
  const [xs, a] = alignSeries([s]);
  assert.deepEqual(a, [1, null, null]);
  xs.push(99);
  assert.deepEqual(s.xs, [0, 1, 2]);
  assert.deepEqual(alignSeries([]), [[]]);
});

test('EMA smoothing is debiased like TensorBoard and keeps gaps', () => {
  assert.deepEqual(smoothEma([1, 2, 3], 0), [1, 2, 3]);
  const s = smoothEma([2, null, 2, 2], 0.9);
  // A constant series stays constant: the debiasing removes the pull towards 0.
  for (const v of [s[0], s[2], s[3]]) assert.ok(Math.abs(v! - 2) < 1e-12, String(v));
  assert.equal(s[1], null);
  const t = smoothEma([0, 10], 0.5);
  // last = 0 → 5, debias 1 − 0.25 = 0.75 → 6.666…
  assert.ok(Math.abs(t[1]! - 20 / 3) < 1e-12);
});

test('a log axis gets gaps for zero and negatives', () => {
  assert.deepEqual(positiveOnly([0, -1, 2, null, 1e-9]), [null, null, 2, null, 1e-9]);
});

test('nearestIndex and valueAtOrBefore', () => {
  assert.equal(nearestIndex([], 3), -1);
  assert.equal(nearestIndex([0, 10, 20], 14), 1);
  assert.equal(nearestIndex([0, 10, 20], 15), 1, 'ties go to the earlier point');
  assert.equal(nearestIndex([0, 10, 20], 99), 2);
  const evalLoss = { xs: [50, 100], ys: [2, 1] };
  assert.equal(valueAtOrBefore(evalLoss, 49), null);
  assert.deepEqual(valueAtOrBefore(evalLoss, 75), { x: 50, y: 2 });
  assert.deepEqual(valueAtOrBefore(evalLoss, 100), { x: 100, y: 1 });
  assert.deepEqual(valueAtOrBefore({ xs: [1, 2], ys: [3, Number.NaN] }, 2), { x: 1, y: 3 });
});

test('readoutAt: a sparse series is measured only at its own points, any series only up to its end', () => {
  const evalLoss = { xs: [0, 50, 100], ys: [3, 2, 1] };
  assert.deepEqual(readoutAt(evalLoss, 50, true), { x: 50, y: 2, measured: true });
  assert.deepEqual(readoutAt(evalLoss, 75, true), { x: 50, y: 2, measured: false }, 'between evaluations');
  assert.equal(readoutAt({ xs: [10], ys: [1] }, 5, true), null, 'not started');
  const loss = { xs: [1, 2, 3, 4], ys: [4, 3, 2, 1] };
  assert.deepEqual(readoutAt(loss, 3, false), { x: 3, y: 2, measured: true });
  assert.deepEqual(readoutAt({ xs: [0, 10], ys: [4, 3] }, 5, false), { x: 0, y: 4, measured: true }, 'inside a dense line');
  assert.deepEqual(readoutAt(loss, 9, false), { x: 4, y: 1, measured: false }, 'past a shorter run\'s end');
});

test('zoomRange narrows around the centre and stays inside the data', () => {
  const bounds = { min: 0, max: 100 };
  assert.deepEqual(zoomRange(bounds, 50, 0.5, bounds), { min: 25, max: 75 });
  assert.deepEqual(zoomRange(bounds, 0, 0.5, bounds), { min: 0, max: 50 });
  assert.deepEqual(zoomRange({ min: 80, max: 100 }, 100, 2, bounds), { min: 60, max: 100 });
  assert.deepEqual(zoomRange({ min: 25, max: 75 }, 50, 4, bounds), bounds);
});
