// The training loss and its hand-written gradient against tfjs's own autodiff of
// −Σ log_softmax(x)[label] (a different formula: logSoftmax and a one-hot), on
// every backend of test/backends.ts (wasm, cpu, webgpu), with ignored labels, right padding and logits large
// enough that exp(x − max) underflows for most of the vocabulary; and the eval
// loss (models/loss.ts causalLmLossSum) equal to the training loss's value.
// Run: node --import tsx --test src/main/engine/train/cross-entropy.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Scalar, Tensor, Tensor3D } from '@tensorflow/tfjs';
import { testOnBackends } from '../../../../test/backends';
import type { Tf } from '../backend';
import { causalLmLossSum, IGNORE_INDEX } from '../models/loss';
import { crossEntropySum, shiftTargets } from './cross-entropy';

const B = 3;
const T = 7;
const V = 50;
// Sequence 1 is right-padded from position 4; sequence 2 ignores its prompt (positions 0–2).
const LABELS = [
  [3, 14, 15, 9, 26, 5, 35],
  [8, 9, 7, 9, IGNORE_INDEX, IGNORE_INDEX, IGNORE_INDEX],
  [IGNORE_INDEX, IGNORE_INDEX, IGNORE_INDEX, 49, 0, 1, 2],
];

function logits(tf: Tf, scale: number): Tensor3D {
  let s = 12345;
  const values = Float32Array.from({ length: B * T * V }, () => (((s = (s * 1103515245 + 12345) >>> 0) % 20001) / 10000 - 1) * scale);
  return tf.tensor3d(values, [B, T, V]);
}

/** −Σ log_softmax(x[b, t])[labels[b][t+1]] by tfjs's autodiff (a dense one-hot: gather has no gradient kernel on wasm). */
function reference(tf: Tf, x: Tensor3D): Scalar {
  const hot = new Float32Array(B * T * V);
  LABELS.forEach((row, b) => row.slice(1).forEach((l, t) => l !== IGNORE_INDEX && (hot[(b * T + t) * V + l] = 1)));
  return tf.neg(tf.sum(tf.mul(tf.logSoftmax(x.reshape([B * T, V])), tf.tensor2d(hot, [B * T, V])))) as Scalar;
}

for (const scale of [1, 60]) {
  testOnBackends(`logits in ±${scale}: loss and gradient equal autodiff of log_softmax`, async (tf) => {
    const targets = shiftTargets(LABELS, V);
    assert.equal(targets.count, 6 + 3 + 4);
    const before = tf.memory().numTensors;
    const x = logits(tf, scale);
    const ours = tf.valueAndGrad((t: Tensor) => crossEntropySum(tf, t as Tensor3D, targets))(x);
    const ref = tf.valueAndGrad((t: Tensor) => reference(tf, t as Tensor3D))(x);
    const [a, b] = [(await ours.value.data())[0]!, (await ref.value.data())[0]!];
    assert.ok(Number.isFinite(a) && Math.abs(a - b) / Math.abs(b) < 1e-6, `loss ${a} vs ${b}`);
    const ga = await ours.grad.data();
    const gb = await ref.grad.data();
    let worst = 0;
    for (let i = 0; i < ga.length; i++) worst = Math.max(worst, Math.abs(ga[i]! - gb[i]!));
    assert.ok(worst < 1e-6, `gradient max abs difference ${worst}`);
    const evalLoss = await causalLmLossSum(tf, x, LABELS);
    assert.equal(evalLoss.count, targets.count);
    assert.ok(Math.abs(evalLoss.sum - a) / Math.abs(a) < 1e-6, `eval loss sum ${evalLoss.sum} vs training ${a}`);
    [x, ours.value, ours.grad, ref.value, ref.grad].forEach((t) => t.dispose());
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });
}

test('a label outside the vocabulary names the sequence and position', () => {
  assert.throws(() => shiftTargets([[1, 2, V]], V), /label 50 \(sequence 0, position 2\) is outside the vocabulary of 50/);
});
