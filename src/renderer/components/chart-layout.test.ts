import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layoutChart, lossSeries, MARGIN, MAX_DRAWN_POINTS } from './chart-layout';

const series = (n: number, f = (i: number) => 3 / (1 + i)) => Array.from({ length: n }, (_, i) => ({ step: i + 1, value: f(i) }));

test('lossSeries keeps loss-like metrics, train loss first', () => {
  const map = new Map([
    ['lr', series(3)],
    ['eval_loss', series(2)],
    ['loss', series(3)],
    ['grad_norm', series(3)],
  ]);
  assert.deepEqual(lossSeries(map).map(([name]) => name), ['loss', 'eval_loss']);
});

test('no points: an empty layout with a usable axis', () => {
  const l = layoutChart([], 640, 300);
  assert.equal(l.empty, true);
  assert.deepEqual(l.series, []);
  assert.ok(Number.isFinite(l.y(0.5)));
});

test('one point still lays out', () => {
  const l = layoutChart([['loss', [{ step: 1, value: 2.5 }]]], 640, 300);
  assert.equal(l.empty, false);
  assert.match(l.series[0]!.path, /^M[\d.]+,[\d.]+$/);
});

test('the curve spans the plot box; y ticks enclose the values', () => {
  const pts = series(100);
  const l = layoutChart([['loss', pts]], 640, 300);
  assert.equal(l.x(1), MARGIN.left);
  assert.equal(l.x(100), 640 - MARGIN.right);
  assert.ok(l.yTicks.start <= Math.min(...pts.map((p) => p.value)));
  assert.ok(l.yTicks.stop >= 3);
  assert.ok(l.xTicks.values.every((v) => v >= 1 && v <= 100));
});

test('long series are downsampled for drawing but keep all points', () => {
  const pts = series(50_000);
  const l = layoutChart([['loss', pts]], 800, 300);
  assert.equal(l.series[0]!.points.length, 50_000);
  assert.ok(l.series[0]!.drawn.length <= (800 - MARGIN.left - MARGIN.right) * 4);
  const short = layoutChart([['loss', series(MAX_DRAWN_POINTS)]], 800, 300);
  assert.equal(short.series[0]!.drawn.length, MAX_DRAWN_POINTS);
});
