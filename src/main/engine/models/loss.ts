// Causal-LM cross-entropy as transformers computes it (transformers loss/loss_utils.py ForCausalLMLoss): logits at
// position t predict the label at t+1, labels of -100 are ignored, and the loss
// is the mean over the predicted tokens. Returned as a sum and a count so a
// whole file's loss can be accumulated batch by batch. The label shift is defined
// once here (shiftTargets) and used by evaluation and by the training loss
// (train/cross-entropy.ts).
import type { Tensor, Tensor1D, Tensor2D, Tensor3D } from '@tensorflow/tfjs';
import type { Tf } from '../backend';

export const IGNORE_INDEX = -100;

export interface LossSum {
  sum: number;
  count: number;
}

/**
 * Next-token targets for the [B·T, V] logits of a [B][T] batch (every position,
 * so the logits need no slicing): row b·T + t is learned from labels[b][t+1];
 * the last position of each sequence and ignored labels are not learned.
 */
export interface ShiftedTargets {
  /** Rows of the logits (B·T). */
  rows: number;
  /** The label of each row; 0 where the row is not learned. */
  labels: Int32Array;
  /** 1 where the row is learned, 0 elsewhere. */
  valid: Float32Array;
  /** Learned rows. */
  count: number;
}

/** labels[b][t+1] is what logits[b][t] must predict (the one definition of the shift). */
export function shiftTargets(labels: number[][], vocab: number): ShiftedTargets {
  const b = labels.length;
  const t = labels[0]?.length ?? 0;
  const rows = b * t;
  const out = new Int32Array(rows);
  const valid = new Float32Array(rows);
  let count = 0;
  for (let s = 0; s < b; s++) {
    for (let i = 0; i < t - 1; i++) {
      const label = labels[s]![i + 1] ?? IGNORE_INDEX;
      if (label === IGNORE_INDEX) continue;
      if (!Number.isInteger(label) || label < 0 || label >= vocab) {
        throw new Error(`label ${label} (sequence ${s}, position ${i + 1}) is outside the vocabulary of ${vocab}`);
      }
      out[s * t + i] = label;
      valid[s * t + i] = 1;
      count++;
    }
  }
  return { rows, labels: out, valid, count };
}

/**
 * Per-row loss logsumexp(x) − x[label], times `valid`, from the logits x [rows, V]
 * and their softmax p (which the training loss keeps for its gradient).
 * logsumexp(x) = max(x) + log Σ exp(x − max(x)), and the softmax's largest
 * entry is exp(0) / Σ exp(x − max(x)), so log Σ = −log max(p): two row maxima
 * and a gather of one logit per row instead of a second exp pass over the logits.
 * max(p) ≥ 1/V never underflows, so the loss stays finite where log p[label] would not.
 */
export function rowLosses(tf: Tf, x: Tensor2D, p: Tensor2D, targets: ShiftedTargets): Tensor1D {
  return tf.tidy(() => {
    const v = x.shape[1];
    const index = new Int32Array(targets.rows);
    for (let r = 0; r < targets.rows; r++) index[r] = r * v + targets.labels[r]!;
    const picked = tf.gather(x.reshape([-1]), tf.tensor1d(index, 'int32'));
    const lse = tf.sub(tf.max(x, -1), tf.log(tf.max(p, -1)));
    return tf.mul(tf.sub(lse, picked), tf.tensor1d(targets.valid)) as Tensor1D;
  });
}

/** Sum of next-token cross-entropy over positions whose shifted label is not ignored. */
export async function causalLmLossSum(tf: Tf, logits: Tensor3D, labels: number[][]): Promise<LossSum> {
  const [b, t, v] = logits.shape;
  if (t < 2) return { sum: 0, count: 0 };
  const targets = shiftTargets(labels, v);
  const total: Tensor = tf.tidy(() => {
    const x = logits.reshape([b * t, v]) as Tensor2D;
    return rowLosses(tf, x, tf.softmax(x), targets);
  });
  const perToken = await total.data();
  total.dispose();
  // Summed in float64 here, so a long file's loss does not drift with float32 accumulation.
  let sum = 0;
  for (const x of perToken) sum += x;
  return { sum, count: targets.count };
}
