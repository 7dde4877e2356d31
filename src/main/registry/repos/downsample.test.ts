// M4 reduction of one series: exact when short, first/last/min/max per step range
// when long, spikes and the last point always kept, bounded size.
// Run: node --import tsx --test src/main/registry/repos/downsample.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeriesSampler, type SeriesColumns } from './downsample';

function sample(steps: readonly number[], value: (step: number) => number, maxPoints: number): SeriesColumns & { total: number } {
  const s = new SeriesSampler(maxPoints, steps[0]!, steps[steps.length - 1]!);
  for (const step of steps) s.add(step, value(step), 1000 + step);
  return { ...s.result(), total: s.total };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('a series of at most maxPoints comes back whole', () => {
  const steps = range(5, 104); // 100 points
  const out = sample(steps, (s) => Math.sin(s), 100);
  assert.deepEqual(out.steps, steps);
  assert.deepEqual(out.values, steps.map((s) => Math.sin(s)));
  assert.deepEqual(out.wallTimes, steps.map((s) => 1000 + s));
  assert.equal(out.total, 100);
});

test('a long series keeps first, last, min and max of every bucket, in step order', () => {
  // 1..1000 into 10 buckets of 100 steps; within each, a dip at step b*100+30 and a peak at b*100+70.
  const value = (s: number) => (s % 100 === 30 ? -5 - s / 1000 : s % 100 === 70 ? 5 + s / 1000 : 1);
  const out = sample(range(1, 1000), value, 40);
  assert.equal(out.total, 1000);
  const expected: number[] = [];
  for (let b = 0; b < 10; b++) expected.push(b * 100 + 1, b * 100 + 30, b * 100 + 70, b * 100 + 100);
  assert.deepEqual(out.steps, expected);
  assert.deepEqual(out.values, expected.map(value));
  assert.deepEqual(out.wallTimes, expected.map((s) => 1000 + s));
});

test('spikes, ±Infinity and the last point survive; never more than maxPoints', () => {
  const steps = range(0, 99_999);
  const spikeAt = 45_678;
  const value = (s: number) => (s === spikeAt ? 1e6 : s === 77_777 ? Infinity : s === 12_345 ? -Infinity : 2 + Math.exp(-s / 10_000));
  const out = sample(steps, value, 2000);
  assert.ok(out.steps.length <= 2000, `${out.steps.length} points`);
  // 500 buckets; a falling curve's first is its bucket's max and its last the min: 2 points each.
  assert.ok(out.steps.length >= 1000, `${out.steps.length}: at least two points per bucket`);
  for (const s of [spikeAt, 77_777, 12_345, 0, 99_999]) assert.ok(out.steps.includes(s), `step ${s} kept`);
  assert.equal(out.steps.at(-1), 99_999);
  for (let i = 1; i < out.steps.length; i++) assert.ok(out.steps[i]! > out.steps[i - 1]!, 'strictly ascending');
  // The envelope is exact: the reduced series has the same min and max as the full one.
  assert.equal(Math.max(...out.values), Infinity);
  assert.equal(Math.min(...out.values), -Infinity);
});

test('a sparse series over a long step range keeps its few points whole', () => {
  const steps = [1000, 2000, 3000, 20_000];
  const out = sample(steps, (s) => s / 1000, 8);
  assert.deepEqual(out.steps, steps);
});

test('buckets follow steps, not positions: a gap leaves its buckets empty', () => {
  // 50 points at steps 1..50 then 50 at 951..1000, 20 buckets of 50 steps: two buckets hold points.
  const steps = [...range(1, 50), ...range(951, 1000)];
  const out = sample(steps, (s) => (s === 20 ? 9 : s === 970 ? -9 : 0), 80);
  assert.deepEqual(out.steps, [1, 20, 50, 951, 970, 1000]);
});

test('maxPoints below 4 is refused', () => {
  assert.throws(() => new SeriesSampler(3, 0, 10), /maxPoints must be an integer ≥ 4, got 3/);
});
