// How many points a chart asks for, and which series came back reduced.
// Run: node --import tsx --test src/renderer/features/run/chart-points.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chartMaxPoints, reducedSeries } from './chart-points';

test('two points per device pixel of the window, at least 1000', () => {
  assert.equal(chartMaxPoints(1280, 1), 2560);
  assert.equal(chartMaxPoints(1280, 2), 5120);
  assert.equal(chartMaxPoints(300, 1), 1000);
  assert.equal(chartMaxPoints(0, 0), 2560, 'a window not laid out yet counts as 1280 px');
});

test('a series is reduced when the registry holds more points than came back', () => {
  const col = (name: string, n: number, total: number) => ({ name, steps: Array.from({ length: n }, (_, i) => i), values: Array.from({ length: n }, () => 1), wallTimes: Array.from({ length: n }, () => 0), total });
  assert.deepEqual(reducedSeries([col('loss', 2500, 100_000), col('eval_loss', 20, 20)]), [{ name: 'loss', shown: 2500, total: 100_000 }]);
  assert.deepEqual(reducedSeries([col('loss', 3, 3)]), []);
});
