import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunDetail } from '../../../shared/ipc/schemas';
import { mergeMetricPoints, EMPTY_SERIES } from './metrics-merge';
import { runHistory } from './run-history';

const run = (over: Partial<RunDetail>): RunDetail => ({
  id: 3, name: 'r', method: 'lora', status: 'failed', parentRunId: null, createdAt: 100, startedAt: 200, endedAt: 900,
  error: 'loss became NaN at step 7', lastStep: 7, lastLoss: 2, baseModel: '/m/tiny', rank: 8, bestEvalLoss: 2.5,
  durationMs: 700, adapterBytes: null, tags: [], trainableParams: null, config: {}, lineage: [], children: [],
  checkpoints: [{ step: 5, path: '/c/step-000005', bytes: 10, createdAt: 500 }], artifacts: [], pid: null, engineAlive: false,
  ...over,
});

test('the history is what the registry recorded, in time order, ending with the error', () => {
  const metrics = mergeMetricPoints(EMPTY_SERIES, [{ name: 'eval_loss', step: 4, value: 2.5, wallTime: 450 }]);
  const h = runHistory(run({}), metrics, []);
  assert.deepEqual(h.map((e) => e.at), [100, 200, 450, 500, 900]);
  assert.match(h[0]!.text, /created \(lora on \/m\/tiny\)/);
  assert.equal(h.at(-1)!.text, 'failed: loss became NaN at step 7');
  assert.equal(h.at(-1)!.tone, 'error');
});

test('a status seen live replaces the recorded end, not doubles it', () => {
  const h = runHistory(run({ status: 'stopped', error: null, endedAt: 900 }), EMPTY_SERIES, [{ at: 880, status: 'stopped', error: null }]);
  assert.equal(h.filter((e) => /stopped/.test(e.text)).length, 1);
});
