// The embedding table's gradient (full fine-tuning) on every backend of
// test/backends.ts: dTable[v] = Σ dy[i] over the positions holding token v, with
// repeated ids, ids absent from the batch (zero rows) and the same bits each
// time it runs; through tf.grad of embeddingLookup as the trainer takes it.
// 4,096-token batches give the same bits twice and the float64 sums within
// rounding: over 1,500 ids (webgpu: the selection matrix in two blocks) and over
// 200 ids (webgpu: a [200, 4096] × [4096, 8] product, which tfjs-backend-webgpu
// would sum with atomics, in a new order each run, without kernels/webgpu-matmul.ts).
import assert from 'node:assert/strict';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { testOnBackends } from '../../../../test/backends';
import { embeddingLookup } from '../models/decoder/embedding';
import { variableFrom } from '../train/variables';
import { EMBEDDING_GRAD, SELECT_ELEMENTS } from './embedding-grad';

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

testOnBackends('a large batch\'s embedding gradient repeats bit for bit and matches float64 sums', async (tf) => {
  for (const vocab of [1500, 200]) await largeBatch(tf, vocab);
});

async function largeBatch(tf: Tf, vocab: number): Promise<void> {
  const [hidden, n] = [8, 4096];
  const ids = Int32Array.from({ length: n }, (_, i) => (i * 7919 + ((i * i) % 13)) % vocab);
  const distinct = new Set(ids).size;
  assert.equal(distinct * n > SELECT_ELEMENTS, vocab > 1024, `${distinct} distinct ids × ${n} tokens`);
  const dyValues = Float32Array.from({ length: n * hidden }, (_, i) => Math.sin(i * 12.9898) * 0.999);
  const want = new Float64Array(vocab * hidden);
  ids.forEach((id, i) => {
    for (let j = 0; j < hidden; j++) want[id * hidden + j]! += dyValues[i * hidden + j]!;
  });
  const before = tf.memory().numTensors;
  const table = variableFrom(tf, tf.zeros([vocab, hidden]), 'embed');
  const dy = tf.tensor2d(dyValues, [n, hidden]);
  const grad = () => tf.grad((t: Tensor) => tf.mul(embeddingLookup(tf, t as Tensor2D, ids), dy))(table);
  try {
    const runs: Float32Array[] = [];
    for (let r = 0; r < 2; r++) {
      const g = grad();
      runs.push((await g.data()) as Float32Array);
      g.dispose();
    }
    assert.deepEqual(Array.from(runs[1]!), Array.from(runs[0]!), `vocab ${vocab}: a second run gave other bits`);
    let worst = 0;
    runs[0]!.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - want[i]!))));
    assert.ok(worst < 1e-5, `vocab ${vocab}: max abs difference ${worst} from the float64 sums`);
  } finally {
    table.dispose();
    dy.dispose();
  }
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
}
