// Shard planning as huggingface_hub does it: greedy in the given order, oversized
// tensors alone, model.safetensors when one shard is enough.
// Run: node --import tsx --test src/main/engine/io/safetensors/shards.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SafetensorsError } from './errors';
import { DEFAULT_MAX_SHARD_BYTES, planShards, shardFileName } from './shards';

const t = (name: string, bytes: number): { name: string; bytes: number } => ({ name, bytes });
const groups = (plan: ReturnType<typeof planShards>): [string, string[]][] => plan.shards.map((s) => [s.file, s.names]);

test('greedy in order; a shard may fill exactly to the limit', () => {
  const plan = planShards([t('a', 4), t('b', 4), t('c', 4), t('d', 1)], 8);
  assert.deepEqual(groups(plan), [
    ['model-00001-of-00002.safetensors', ['a', 'b']],
    ['model-00002-of-00002.safetensors', ['c', 'd']],
  ]);
  assert.equal(plan.totalSize, 13);
  assert.deepEqual(plan.weightMap, {
    a: 'model-00001-of-00002.safetensors',
    b: 'model-00001-of-00002.safetensors',
    c: 'model-00002-of-00002.safetensors',
    d: 'model-00002-of-00002.safetensors',
  });
  assert.deepEqual(
    plan.shards.map((s) => s.bytes),
    [8, 5],
  );
});

test('a tensor over the limit gets its own shard, ahead of the one being filled (as huggingface_hub)', () => {
  assert.deepEqual(groups(planShards([t('a', 2), t('big', 10), t('c', 2), t('d', 7)], 8)), [
    ['model-00001-of-00003.safetensors', ['big']],
    ['model-00002-of-00003.safetensors', ['a', 'c']],
    ['model-00003-of-00003.safetensors', ['d']],
  ]);
});

test('one shard is model.safetensors with no index; no tensors still plans that one file', () => {
  const one = planShards([t('a', 3), t('b', 0)], DEFAULT_MAX_SHARD_BYTES);
  assert.deepEqual(groups(one), [['model.safetensors', ['a', 'b']]]);
  assert.equal(one.weightMap, null);
  assert.deepEqual(groups(planShards([], 8)), [['model.safetensors', []]]);
  assert.deepEqual(groups(planShards([t('huge', 100)], 8)), [['model.safetensors', ['huge']]]);
});

test('names are 1-based and zero-padded to five digits', () => {
  assert.equal(shardFileName(1, 3), 'model-00001-of-00003.safetensors');
  assert.equal(shardFileName(12, 120), 'model-00012-of-00120.safetensors');
});

test('bad plans are refused', () => {
  assert.throws(() => planShards([t('a', 1), t('a', 1)], 8), SafetensorsError);
  assert.throws(() => planShards([t('a', -1)], 8), SafetensorsError);
  assert.throws(() => planShards([t('a', 1.5)], 8), SafetensorsError);
  assert.throws(() => planShards([t('a', 1)], 0), SafetensorsError);
});
