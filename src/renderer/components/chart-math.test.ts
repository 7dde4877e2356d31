import assert from 'node:assert/strict';
import { test } from 'node:test';
import { downsampleMinMax, formatTick, linePath, linearScale, nearestByStep, niceStep, niceTicks } from './chart-math';

test('niceStep picks 1, 2 or 5 times a power of ten', () => {
  assert.equal(niceStep(10, 5), 2);
  assert.equal(niceStep(1, 5), 0.2);
  assert.equal(niceStep(7, 5), 2);
  assert.equal(niceStep(1000, 4), 500);
  assert.equal(niceStep(0, 5), 1);
});

test('niceTicks enclose the data with round values and no float noise', () => {
  const t = niceTicks(0.13, 0.97, 5);
  assert.deepEqual(t.values, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.equal(t.start, 0);
  assert.equal(t.stop, 1);
  const loss = niceTicks(1.234, 3.87, 5);
  assert.ok(loss.start <= 1.234 && loss.stop >= 3.87);
  assert.ok(loss.values.length >= 3 && loss.values.length <= 7, String(loss.values));
});

test('niceTicks handle a flat series, reversed and non-finite bounds', () => {
  const flat = niceTicks(2, 2, 5);
  assert.ok(flat.start < 2 && flat.stop > 2);
  assert.deepEqual(niceTicks(5, 1, 4).values, niceTicks(1, 5, 4).values);
  assert.deepEqual(niceTicks(Number.NaN, 1).values, [0, 1]);
  assert.ok(!niceTicks(-1, 1).values.some((v) => Object.is(v, -0)));
});

test('integer ticks never step below 1', () => {
  const t = niceTicks(0, 3, 10, { integer: true });
  assert.deepEqual(t.values, [0, 1, 2, 3]);
  assert.ok(niceTicks(0, 1_000_000, 5, { integer: true }).values.every(Number.isInteger));
});

test('formatTick shows as many decimals as the step needs', () => {
  assert.equal(formatTick(0.4, 0.2), '0.4');
  assert.equal(formatTick(0.05, 0.05), '0.05');
  assert.equal(formatTick(2, 0.5), '2.0');
  assert.equal(formatTick(25000, 5000), '25,000');
  assert.equal(formatTick(-0, 1), '0');
});

test('linearScale maps and inverts, and a zero-width domain maps to the middle', () => {
  const s = linearScale([0, 100], [10, 210]);
  assert.equal(s(50), 110);
  assert.equal(s.invert(110), 50);
  const flipped = linearScale([0, 1], [100, 0]);
  assert.equal(flipped(0.25), 75);
  assert.equal(linearScale([3, 3], [0, 10])(3), 5);
});

test('nearestByStep finds the closest point by binary search', () => {
  const pts = [0, 10, 20, 40].map((step) => ({ step, value: step }));
  assert.equal(nearestByStep(pts, -5)?.step, 0);
  assert.equal(nearestByStep(pts, 14)?.step, 10);
  assert.equal(nearestByStep(pts, 16)?.step, 20);
  assert.equal(nearestByStep(pts, 15)?.step, 10);
  assert.equal(nearestByStep(pts, 31)?.step, 40);
  assert.equal(nearestByStep(pts, 1e9)?.step, 40);
  assert.equal(nearestByStep([], 3), undefined);
});

test('downsampling keeps the extremes of each bucket, in order, and bounds the count', () => {
  const pts = Array.from({ length: 100_000 }, (_, i) => ({ step: i, value: Math.sin(i / 50) + (i === 54_321 ? 10 : 0) }));
  const out = downsampleMinMax(pts, 500);
  assert.ok(out.length <= 500 * 4, String(out.length));
  assert.ok(out.length >= 500);
  for (let i = 1; i < out.length; i++) assert.ok(out[i]!.step > out[i - 1]!.step);
  assert.ok(out.includes(pts[54_321]!), 'the spike survives');
  assert.equal(out[0], pts[0]);
  assert.equal(out[out.length - 1], pts[pts.length - 1]);
  assert.equal(Math.max(...out.map((p) => p.value)), Math.max(...pts.map((p) => p.value)));
  assert.equal(Math.min(...out.map((p) => p.value)), Math.min(...pts.map((p) => p.value)));
});

test('short series are not downsampled', () => {
  const pts = [1, 2, 3].map((step) => ({ step, value: step }));
  assert.deepEqual(downsampleMinMax(pts, 100), pts);
});

test('linePath breaks at non-finite values', () => {
  const id = (v: number) => v;
  assert.equal(linePath([{ step: 0, value: 1 }, { step: 1, value: 2 }], id, id), 'M0.0,1.0L1.0,2.0');
  assert.equal(
    linePath([{ step: 0, value: 1 }, { step: 1, value: Number.NaN }, { step: 2, value: 3 }], id, id),
    'M0.0,1.0M2.0,3.0',
  );
  assert.equal(linePath([], id, id), '');
});
