// Causal-LM cross-entropy as transformers computes it (transformers loss/loss_utils.py ForCausalLMLoss): logits at
// position t predict the label at t+1, labels of -100 are ignored, and the loss
// is the mean over the predicted tokens. Returned as a sum and a count so a
// whole file's loss can be accumulated batch by batch.
import type { Tensor3D } from '@tensorflow/tfjs';
import type { Tf } from '../backend';

export const IGNORE_INDEX = -100;

export interface LossSum {
  sum: number;
  count: number;
}

/** Sum of next-token cross-entropy over positions whose shifted label is not ignored. */
export async function causalLmLossSum(tf: Tf, logits: Tensor3D, labels: number[][]): Promise<LossSum> {
  const [b, t, v] = logits.shape;
  if (t < 2) return { sum: 0, count: 0 };
  const rows = b * (t - 1);
  const index = new Int32Array(rows);
  const valid = new Float32Array(rows);
  let count = 0;
  for (let s = 0; s < b; s++) {
    for (let i = 0; i < t - 1; i++) {
      const label = labels[s]![i + 1] ?? IGNORE_INDEX;
      const r = s * (t - 1) + i;
      if (label === IGNORE_INDEX) continue;
      if (!Number.isInteger(label) || label < 0 || label >= v) {
        throw new Error(`label ${label} at sequence ${s}, position ${i + 1} is outside the vocabulary of ${v}`);
      }
      index[r] = r * v + label;
      valid[r] = 1;
      count++;
    }
  }
  const total = tf.tidy(() => {
    const shifted = tf.slice(logits, [0, 0, 0], [b, t - 1, v]).reshape([rows, v]);
    const lse = tf.logSumExp(shifted, -1);
    const picked = tf.gather(shifted.reshape([-1]), tf.tensor1d(index, 'int32'));
    return tf.mul(tf.sub(lse, picked), tf.tensor1d(valid));
  });
  const perToken = await total.data();
  total.dispose();
  // Summed in float64 here, so a long file's loss does not drift with float32 accumulation.
  let sum = 0;
  for (const x of perToken) sum += x;
  return { sum, count };
}
