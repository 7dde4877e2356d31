import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricPoint, RunDetail } from '../../../shared/ipc/schemas';
import { EMPTY_SERIES, mergeMetricPoints } from '../run/metrics-merge';
import { comparisonCsv, configDiff, csvField, flattenConfig, metricOnX, summaryRow, supportsX, tokensSeen } from './compare-data';

const pt = (name: string, step: number, value: number, wallTime = 1000 + step * 500): MetricPoint => ({ name, step, value, wallTime });

test('only the keys that differ, with a missing key counting as different', () => {
  const a = { name: 'a', method: 'lora', lora: { r: 8, alpha: 16, targets: ['q_proj', 'v_proj'] }, train: { lr: 0.001, steps: 10 } };
  const b = { name: 'b', method: 'lora', lora: { r: 16, alpha: 16, targets: ['q_proj', 'v_proj'] }, train: { lr: 0.001, steps: 10, seed: 3 } };
  const diff = configDiff([a, b]);
  assert.deepEqual(diff, [
    { key: 'lora.r', values: ['8', '16'] },
    { key: 'name', values: ['a', 'b'] },
    { key: 'train.seed', values: [undefined, '3'] },
  ]);
  assert.deepEqual(configDiff([a, a]), []);
  assert.deepEqual([...flattenConfig({ x: { y: null, z: [1, 2] } })], [['x.y', 'null'], ['x.z', '[1,2]']]);
});

test('x by step, by wall time from the first point, and by tokens seen', () => {
  const m = mergeMetricPoints(EMPTY_SERIES, [pt('loss', 1, 3), pt('loss', 2, 2), pt('loss', 3, 1), pt('tokens', 1, 100), pt('tokens', 2, 90), pt('tokens', 3, 110)]);
  assert.deepEqual(metricOnX(m, 'loss', 'step'), { xs: [1, 2, 3], ys: [3, 2, 1] });
  assert.deepEqual(metricOnX(m, 'loss', 'time'), { xs: [0, 0.5, 1], ys: [3, 2, 1] });
  assert.deepEqual(metricOnX(m, 'loss', 'tokens'), { xs: [100, 190, 300], ys: [3, 2, 1] });
  assert.deepEqual([...tokensSeen(m.get('tokens')!)], [[1, 100], [2, 190], [3, 300]]);
  assert.equal(supportsX([m], 'tokens'), true);
  assert.equal(supportsX([m, mergeMetricPoints(EMPTY_SERIES, [pt('loss', 1, 1)])], 'tokens'), false);
  assert.equal(supportsX([EMPTY_SERIES], 'time'), true);
});

test('the summary reads best and final eval loss, pace and peak memory from the metrics', () => {
  const run = { id: 4, name: 'r4', method: 'qlora', status: 'completed', bestEvalLoss: null, durationMs: 5000, trainableParams: 1234, adapterBytes: 9999 } as RunDetail;
  const m = mergeMetricPoints(EMPTY_SERIES, [
    pt('eval_loss', 5, 2.5), pt('eval_loss', 10, 2.1), pt('eval_loss', 15, 2.3),
    pt('loss', 15, 1.9), pt('tokens_per_second', 15, 812), pt('peak_rss_bytes', 1, 4e6), pt('peak_rss_bytes', 9, 5e6),
    // A size that is not the process's peak (QLoRA's float32 equivalent of its NF4 base) is not taken for it.
    pt('quantized_base_float32_bytes', 0, 9e6),
  ]);
  const row = summaryRow(run, m);
  assert.equal(row.bestEvalLoss, 2.1);
  assert.equal(row.finalEvalLoss, 2.3);
  assert.equal(row.finalLoss, 1.9);
  assert.equal(row.tokensPerSecond, 812);
  assert.equal(row.peakMemoryBytes, 5e6);
  assert.equal(summaryRow(run, EMPTY_SERIES).peakMemoryBytes, null);
});

test('CSV quotes what needs quoting and has one row per run', () => {
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField(null), '');
  assert.equal(csvField(1.5), '1.5');
  const run = { id: 1, name: 'x, y', method: 'lora', status: 'completed', bestEvalLoss: 2, durationMs: 10, trainableParams: null, adapterBytes: null } as RunDetail;
  const csv = comparisonCsv([summaryRow(run, EMPTY_SERIES)], [{ key: 'lora.r', values: ['8'] }]);
  const [header, row, end] = csv.split('\r\n');
  assert.match(header!, /^run_id,name,method,status,best_eval_loss,.*,peak_memory_bytes,config\.lora\.r$/);
  assert.equal(row, '1,"x, y",lora,completed,2,,,10,,,,,8');
  assert.equal(end, '');
});
