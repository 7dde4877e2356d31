// The embedding table's gradient (full fine-tuning) on every backend of
// test/backends.ts: dTable[v] = Σ dy[i] over the positions holding token v, with
// repeated ids, ids absent from the batch (zero rows) and the same bits each
// time it runs; through tf.grad of embeddingLookup as the trainer takes it.
import assert from 'node:assert/strict';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { testOnBackends } from '../../../../test/backends';
import { embeddingLookup } from '../models/decoder/embedding';
import { variableFrom } from '../train/variables';
import { EMBEDDING_GRAD } from './embedding-grad';

const VOCAB = 11;
const HIDDEN = 5;
const IDS = Int32Array.from([3, 7, 3, 0, 10, 3, 7, 1]);

/** Σ in float64 of dy's rows per id, the reference (every sum here is exact in float32 too: dy holds small dyadic values). */
function expected(dy: Float32Array): Float32Array {
  const out = new Float64Array(VOCAB * HIDDEN);
  IDS.forEach((id, i) => {
    for (let j = 0; j < HIDDEN; j++) out[id * HIDDEN + j] = out[id * HIDDEN + j]! + dy[i * HIDDEN + j]!;
  });
  return Float32Array.from(out);
}

testOnBackends('the gradient of a trainable embedding sums dy per token id', async (tf, _t, backend) => {
  // wasm and cpu run the registered kernel; webgpu the composition of fixed-order ops.
  assert.equal(Boolean(tf.getKernel(EMBEDDING_GRAD, backend)), backend !== 'webgpu');
  const before = tf.memory().numTensors;
  const dyValues = Float32Array.from({ length: IDS.length * HIDDEN }, (_, i) => ((i * 37) % 19) / 8 - 1);
  const table = variableFrom(tf, tf.randomNormal([VOCAB, HIDDEN], 0, 1, 'float32', 3), 'embed');
  const dy = tf.tensor2d(dyValues, [IDS.length, HIDDEN]);
  const grad = () => tf.grad((t: Tensor) => tf.mul(embeddingLookup(tf, t as Tensor2D, IDS), dy))(table);
  try {
    const [first, second] = [grad(), grad()];
    const [a, b] = [(await first.data()) as Float32Array, (await second.data()) as Float32Array];
    first.dispose();
    second.dispose();
    assert.deepEqual(first.shape, [VOCAB, HIDDEN]);
    assert.deepEqual(Array.from(a), Array.from(expected(dyValues)));
    assert.deepEqual(Array.from(b), Array.from(a), 'a second run gave other bits');
  } finally {
    table.dispose();
    dy.dispose();
  }
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
});
