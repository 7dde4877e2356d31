// Matrix products whose backward passes stay on the wasm backend's fast path.
// Autodiff of y = a·b asks for dy·bᵀ and aᵀ·dy, i.e. matMul with transposeB
// (~11× slower on wasm) and transposeA (~34× slower), measured with tfjs 4.22 on this project's 2-core machine;
// an explicit transpose followed by a plain matMul costs a few milliseconds.
// Two kinds: with a constant right-hand side (a frozen base weight: only da is
// ever needed) and with both sides differentiable.
import type { Tensor } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';

/** Swaps the last two axes. */
const swapLast = (tf: Tf, t: Tensor): Tensor => {
  const perm = t.shape.map((_, i) => i);
  [perm[t.rank - 2], perm[t.rank - 1]] = [perm[t.rank - 1]!, perm[t.rank - 2]!];
  return tf.transpose(t, perm);
};

type Custom = Parameters<Tf['customGrad']>[0];

/** a·b where b is constant (no gradient for it): backward computes only dy·bᵀ. */
export function matMulConstRight(tf: Tf, a: Tensor, b: Tensor): Tensor {
  const f = tf.customGrad(((x: Tensor, save: (ts: Tensor[]) => void) => {
    save([]);
    return { value: tf.matMul(x, b), gradFunc: (dy: Tensor) => tf.matMul(dy, swapLast(tf, b)) };
  }) as unknown as Custom);
  return f(a);
}

/** a·b with gradients for both: dy·bᵀ and aᵀ·dy, each as transpose + plain matMul. */
export function matMulBoth(tf: Tf, a: Tensor, b: Tensor): Tensor {
  const f = tf.customGrad(((x: Tensor, y: Tensor, save: (ts: Tensor[]) => void) => {
    save([x, y]);
    return {
      value: tf.matMul(x, y),
      gradFunc: (dy: Tensor, [xs, ys]: Tensor[]) => [tf.matMul(dy, swapLast(tf, ys!)), tf.matMul(swapLast(tf, xs!), dy)],
    };
  }) as unknown as Custom);
  return f(a, b);
}

/** Picks the cheaper backward: a variable (trainable) right side needs both gradients. */
export function matMulFast(tf: Tf, a: Tensor, b: Tensor): Tensor {
  return 'assign' in b ? matMulBoth(tf, a, b) : matMulConstRight(tf, a, b);
}
