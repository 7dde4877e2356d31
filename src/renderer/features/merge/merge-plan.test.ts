import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeRequestSchema } from '../../../shared/ipc/job-schemas';
import { EMPTY_PLAN, defaultOutFor, mergeRequest, type MergePlan } from './merge-plan';

const plan: MergePlan = {
  base: '/models/tiny',
  adapters: [{ path: '/reg/runs/3/adapter', weight: '1', runId: 3, method: 'lora' }],
  out: '/reg/runs/3/merged',
  dtype: 'float16',
  shardSize: '',
  verify: true,
  qloraBase: 'dequantized',
};

test('a complete plan is a merge request recorded under the adapter run', () => {
  assert.deepEqual(mergeRequest(plan), {
    request: { base: '/models/tiny', adapters: [{ path: '/reg/runs/3/adapter', weight: 1 }], out: '/reg/runs/3/merged', dtype: 'float16', verify: true, runId: 3 },
  });
});

test('weights, shard sizes and the QLoRA base choice', () => {
  const two = { ...plan, adapters: [...plan.adapters, { path: '/disk/b', weight: '-0.5', runId: null, method: 'qlora' }], shardSize: '500MB', qloraBase: 'original' as const };
  const r = mergeRequest(two);
  assert.ok('request' in r);
  assert.deepEqual(r.request.adapters[1], { path: '/disk/b', weight: -0.5 });
  assert.equal(r.request.maxShardSize, '500MB');
  assert.equal(r.request.qloraBase, 'original');
  const bytes = mergeRequest({ ...plan, shardSize: '1000' });
  assert.ok('request' in bytes);
  assert.equal(bytes.request.maxShardSize, 1000);
});

test('what is missing is named', () => {
  assert.deepEqual(mergeRequest({ ...plan, base: '' }), { missing: 'Choose the base model.', field: 'base' });
  assert.match((mergeRequest({ ...plan, adapters: [{ ...plan.adapters[0]!, weight: 'x' }] }) as { missing: string }).missing, /weight must be a number/);
  assert.match((mergeRequest({ ...plan, shardSize: 'lots' }) as { missing: string }).missing, /Shard size/);
});

test('the default output sits beside the adapter', () => {
  assert.match(defaultOutFor('/reg/runs/3/adapter/'), /^\/reg\/runs\/3\/merged-\d{8}-\d{6}$/);
});

test("a fresh wizard's data type is the merge contract's default (the CLI's)", () => {
  const contract = mergeRequestSchema.parse({ base: '/b', adapters: [{ path: '/a', weight: 1 }], out: '/o' });
  assert.equal(contract.dtype, 'float32');
  assert.equal(EMPTY_PLAN.dtype, contract.dtype);
});
