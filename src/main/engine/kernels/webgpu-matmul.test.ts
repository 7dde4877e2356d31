// Products whose shape tfjs-backend-webgpu 4.22.0 would give MatMulSplitKProgram
// (few output workgroups, K ≥ 2000: the LoRA gradient xᵀ·dy of a 2,048-token
// micro-batch) give the same bits every time, on every backend of
// test/backends.ts, and equal a float64 host product within float32 rounding —
// plain matMul, the transposed forms the gradients use, and fused matMul with a
// bias. Unwrapped, webgpu's split-K adds its partial sums with atomics and six
// runs give six different results.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testOnBackends } from '../../../../test/backends';
import { webGpuMatMulProgram } from './webgpu-matmul';

const K = 4096;
const M = 8;
const N = 64;

/** Values in [-1, 1] from a seed, made in JS so every backend starts from the same bits. */
function values(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 0.999);
}

test('these shapes are the ones tfjs-backend-webgpu computes with split-K', () => {
  assert.equal(webGpuMatMulProgram({ a: [M, K], b: [K, N], transposeA: false, transposeB: false }, 8), 1);
  assert.equal(webGpuMatMulProgram({ a: [K, M], b: [K, N], transposeA: true, transposeB: false }, 8), 1);
  assert.equal(webGpuMatMulProgram({ a: [M, K], b: [N, K], transposeA: false, transposeB: true }, 8), 1);
  // More workgroups (packed), a batch, a short K, or a tiny output (reduce): no split-K.
  assert.equal(webGpuMatMulProgram({ a: [512, K], b: [K, 512], transposeA: false, transposeB: false }, 8), 3);
  assert.equal(webGpuMatMulProgram({ a: [2, M, K], b: [2, K, N], transposeA: false, transposeB: false }, 8), 2);
  assert.equal(webGpuMatMulProgram({ a: [M, 1999], b: [1999, N], transposeA: false, transposeB: false }, 8), 2);
  assert.equal(webGpuMatMulProgram({ a: [2, K], b: [K, 64], transposeA: false, transposeB: false }, 8), 0);
});

testOnBackends('a split-K-shaped matMul gives the same bits every time, near the float64 product', async (tf) => {
  const a = values(M * K, 1);
  const b = values(K * N, 2);
  const want = new Float64Array(M * N);
  for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) want[i * N + j]! += a[i * K + k]! * b[k * N + j]!;
  const before = tf.memory().numTensors;
  const ta = tf.tensor2d(a, [M, K]);
  const tb = tf.tensor2d(b, [K, N]);
  const bias = tf.zeros([N]);
  const products = [
    () => tf.matMul(ta, tb),
    () => tf.tidy(() => tf.matMul(ta.transpose(), tb, true, false)),
    () => tf.tidy(() => tf.matMul(ta, tb.transpose(), false, true)),
    () => tf.fused.matMul({ a: ta, b: tb, bias }),
  ];
  try {
    for (const [p, product] of products.entries()) {
      const runs: Float32Array[] = [];
      for (let r = 0; r < 6; r++) {
        const c = product();
        runs.push((await c.data()) as Float32Array);
        c.dispose();
      }
      for (const run of runs.slice(1)) assert.deepEqual(Array.from(run), Array.from(runs[0]!), `product ${p}: a run gave other bits`);
      let worst = 0;
      runs[0]!.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - want[i]!))));
      assert.ok(worst < 1e-3, `product ${p}: max abs difference ${worst} from the float64 product`);
    }
  } finally {
    [ta, tb, bias].forEach((t) => t.dispose());
  }
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
});
