// AddN of more tensors than one shader can bind (webgpu's default limit is 8
// storage buffers per stage: 7 inputs and the output) sums every input, on
// every backend of test/backends.ts — unwrapped, tfjs-backend-webgpu 4.22.0
// fails pipeline validation and hands back zeros. On webgpu the fold's partial
// sums are freed too (the bytes held in GPU buffers end where they started).
import assert from 'node:assert/strict';
import { testOnBackends } from '../../../../test/backends';

testOnBackends('addN of 30 tensors equals their sum', async (tf) => {
  const n = 30;
  const rows = Array.from({ length: n }, (_, i) => Float32Array.from([i + 1, (i % 7) - 3, 0.5 * i, -(i * i)]));
  const want = [0, 1, 2, 3].map((j) => rows.reduce((s, r) => s + r[j]!, 0));
  const gpuBytes = () => (tf.memory() as { numBytesInGPU?: number }).numBytesInGPU;
  const before = tf.memory().numTensors;
  const bytesBefore = gpuBytes();
  const xs = rows.map((r) => tf.tensor1d(r));
  const sum = tf.addN(xs);
  const got = Array.from(await sum.data());
  [sum, ...xs].forEach((t) => t.dispose());
  // Small integers and halves: every partial sum is exact in float32, whatever the grouping.
  assert.deepEqual(got, want);
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  assert.equal(gpuBytes(), bytesBefore, 'GPU buffers of the partial sums leaked');
});
