// SoftmaxXentGrad is a registered kernel on every backend of test/backends.ts
// (wasm and cpu: softmax-xent-grad.ts; webgpu: its own shader) and equals
// (softmax − one_hot) · scale computed on the host, with zero and negative row
// scales, a label in the first and the last column, and a [rows, V] larger than
// one dispatch row of workgroups; on webgpu also more workgroups than one dispatch
// dimension takes.
import assert from 'node:assert/strict';
import type { Tensor2D } from '@tensorflow/tfjs';
import { testOnBackends } from '../../../../test/backends';
import { SOFTMAX_XENT_GRAD, softmaxXentGrad } from './softmax-xent-grad';

testOnBackends('SoftmaxXentGrad is a kernel and equals (softmax − one_hot) · scale', async (tf, _t, backend) => {
  assert.ok(tf.getKernel(SOFTMAX_XENT_GRAD, backend), `registered for ${backend}`);
  for (const [rows, v] of [[6, 11], [300, 1027]] as const) {
    const before = tf.memory().numTensors;
    const logits = Float32Array.from({ length: rows * v }, (_, i) => Math.sin(i * 0.37) * 4);
    const labels = Int32Array.from({ length: rows }, (_, r) => (r === 0 ? 0 : r === 1 ? v - 1 : (r * 7919) % v));
    const scales = Float32Array.from({ length: rows }, (_, r) => [0.5, 0, 1, 2, -1, 0.25][r % 6]!);
    const probs = tf.tidy(() => tf.softmax(tf.tensor2d(logits, [rows, v])) as Tensor2D);
    const got = tf.tidy(() => softmaxXentGrad(tf, probs, tf.tensor1d(labels, 'int32'), tf.tensor2d(scales, [rows, 1])));
    const [a, p] = [await got.data(), await probs.data()];
    got.dispose();
    probs.dispose();
    // The reference on the host, from the very probabilities the kernel read.
    let worst = 0;
    for (let i = 0; i < p.length; i++) {
      const r = Math.floor(i / v);
      const want = (p[i]! - (i % v === labels[r] ? 1 : 0)) * scales[r]!;
      worst = Math.max(worst, Math.abs(a[i]! - want));
    }
    assert.ok(worst < 1e-7, `[${rows}, ${v}]: max abs difference ${worst}`);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  }
});

// More workgroups than one dispatch dimension takes (maxComputeWorkgroupsPerDimension,
// 65,535 by default): tfjs-backend-webgpu reshapes the dispatch to two or three
// dimensions and the shader's flat index must still cover every element once.
testOnBackends('SoftmaxXentGrad past one dispatch dimension of workgroups', async (tf) => {
  const limit = (tf.backend() as unknown as { device: { limits: { maxComputeWorkgroupsPerDimension: number } } }).device.limits.maxComputeWorkgroupsPerDimension;
  const v = 4099;
  const rows = Math.ceil((limit * 128 + 1) / v);
  const labels = Int32Array.from({ length: rows }, (_, r) => (r * 7919) % v);
  const scales = Float32Array.from({ length: rows }, (_, r) => 1 + (r % 3));
  const probs = tf.fill([rows, v], 0.25) as Tensor2D;
  const got = tf.tidy(() => softmaxXentGrad(tf, probs, tf.tensor1d(labels, 'int32'), tf.tensor2d(scales, [rows, 1])));
  const a = await got.data();
  got.dispose();
  probs.dispose();
  let wrong = 0;
  for (let i = 0; i < a.length; i++) {
    const r = Math.floor(i / v);
    if (a[i] !== (0.25 - (i % v === labels[r] ? 1 : 0)) * scales[r]!) wrong++;
  }
  assert.equal(wrong, 0, `[${rows}, ${v}]: ${wrong} of ${a.length} elements wrong`);
}, ['webgpu']);
