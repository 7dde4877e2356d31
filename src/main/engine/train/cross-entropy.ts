// The training loss: summed next-token cross-entropy over the labelled positions
// of a right-padded batch, with a hand-written gradient. The forward pass computes
// the softmax once and keeps it; the loss per row is logsumexp − the label's logit
// (models/loss.ts rowLosses), and the gradient is (softmax − one_hot) · dy on the
// learned rows (kernels/softmax-xent-grad.ts, which never builds the one-hot).
// tfjs's own path would differentiate logSoftmax and a gather, and the gather's
// gradient kernel does not exist on the wasm backend.
import type { Scalar, Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { softmaxXentGrad } from '../kernels/softmax-xent-grad';
import { rowLosses, shiftTargets, type ShiftedTargets } from '../models/loss';

export { shiftTargets, type ShiftedTargets };

/**
 * Σ over learned rows of logsumexp(logits) − logits[label]; differentiable w.r.t.
 * the logits. Call inside a tidy that also holds the backward pass.
 */
export function crossEntropySum(tf: Tf, logits: Tensor3D, targets: ShiftedTargets): Scalar {
  const [b, t, v] = logits.shape;
  if (b * t !== targets.rows) {
    throw new Error(`crossEntropySum: logits of shape [${b}, ${t}, ${v}] have ${b * t} rows but the targets were shifted for ${targets.rows}`);
  }
  // customGrad's typing folds the save function into the inputs' union.
  const loss = tf.customGrad(((x: Tensor, save: (ts: Tensor[]) => void) => {
    const x2 = x as Tensor2D;
    const probs = tf.softmax(x2);
    const labels = tf.tensor1d(targets.labels, 'int32');
    const valid = tf.tensor2d(targets.valid, [targets.rows, 1]);
    // Saved tensors outlive the forward pass's scope, so the backward pass can use them.
    save([probs, labels, valid]);
    return {
      value: tf.sum(rowLosses(tf, x2, probs, targets)),
      gradFunc: (dy: Tensor, [p, l, m]: Tensor[]) => softmaxXentGrad(tf, p as Tensor2D, l!, tf.mul(m!, dy)),
    };
  }) as unknown as Parameters<Tf['customGrad']>[0]);
  return loss(logits.reshape([targets.rows, v])) as Scalar;
}
