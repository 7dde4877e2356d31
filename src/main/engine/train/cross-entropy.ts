// The training loss: summed next-token cross-entropy over the labelled positions
// of a right-padded batch, with a hand-written gradient (softmax − one-hot on the
// labelled rows). tfjs's own path would differentiate logSoftmax and a gather,
// and the gather's gradient kernel does not exist on the wasm backend.
import type { Scalar, Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { IGNORE_INDEX } from '../models/loss';

export interface ShiftedTargets {
  /** Next-token label per row of the [B·(T−1), V] logits; 0 where ignored. */
  labels: Int32Array;
  /** 1 where the row is learned, 0 where ignored. */
  valid: Float32Array;
  /** Learned rows. */
  count: number;
}

/** labels[b][t+1] is what logits[b][t] must predict. */
export function shiftTargets(labels: number[][], vocab: number): ShiftedTargets {
  const b = labels.length;
  const t = labels[0]?.length ?? 0;
  const rows = b * Math.max(0, t - 1);
  const out = new Int32Array(rows);
  const valid = new Float32Array(rows);
  let count = 0;
  for (let s = 0; s < b; s++) {
    for (let i = 0; i < t - 1; i++) {
      const label = labels[s]![i + 1]!;
      if (label === IGNORE_INDEX) continue;
      if (!Number.isInteger(label) || label < 0 || label >= vocab) {
        throw new Error(`label ${label} (sequence ${s}, position ${i + 1}) is outside the vocabulary of ${vocab}`);
      }
      out[s * (t - 1) + i] = label;
      valid[s * (t - 1) + i] = 1;
      count++;
    }
  }
  return { labels: out, valid, count };
}

/**
 * Σ over learned rows of logsumexp(logits) − logits[label]; differentiable w.r.t.
 * the logits. Call inside a tidy that also holds the backward pass.
 */
export function crossEntropySum(tf: Tf, logits: Tensor3D, targets: ShiftedTargets): Scalar {
  const [b, t, v] = logits.shape;
  const rows = b * (t - 1);
  // customGrad's typing folds the save function into the inputs' union.
  const loss = tf.customGrad(((x: Tensor, save: (ts: Tensor[]) => void) => {
    const x2 = x as Tensor2D;
    const valid = tf.tensor2d(targets.valid, [rows, 1]);
    const oneHot = tf.tidy(() => tf.mul(tf.oneHot(tf.tensor1d(targets.labels, 'int32'), v), valid));
    // Saved tensors outlive the forward pass's scope, so the backward pass can use them.
    save([x2, valid, oneHot]);
    const lse = tf.logSumExp(x2, -1, true);
    return {
      value: tf.sub(tf.sum(tf.mul(lse, valid)), tf.sum(tf.mul(x2, oneHot))),
      gradFunc: (dy: Tensor, [logits2d, validRows, target]: Tensor[]) =>
        tf.mul(tf.sub(tf.mul(tf.softmax(logits2d!), validRows!), target!), dy),
    };
  }) as unknown as Parameters<Tf['customGrad']>[0]);
  return loss(tf.slice(logits, [0, 0, 0], [b, t - 1, v]).reshape([rows, v])) as Scalar;
}
