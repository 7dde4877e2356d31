// x·W for a frozen NF4 weight with QLoRA's custom gradient (Dettmers et al. 2023 §3:
// the base weight is dequantized for the forward pass and again for the backward pass;
// only the input gradient is computed, dX = dY·Wᵀ, none for W). Each dequantization
// lands directly in the layout its plain matMul wants — [in, out] forward, [out, in]
// backward — so no transposed product runs (slow on wasm), and the float32 copy is
// freed as soon as its product is done: nothing but the packed codes outlives a step.
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import type { Nf4Weight } from './nf4-weight';

type Custom = Parameters<Tf['customGrad']>[0];

export function matMulNf4(tf: Tf, x2d: Tensor2D, w: Nf4Weight): Tensor2D {
  const f = tf.customGrad(((x: Tensor, save: (ts: Tensor[]) => void) => {
    save([]);
    return {
      value: tf.tidy(() => tf.matMul(x as Tensor2D, tf.tensor2d(w.dequantizeInOut(), [w.inFeatures, w.outFeatures]))),
      gradFunc: (dy: Tensor) => tf.tidy(() => tf.matMul(dy as Tensor2D, tf.tensor2d(w.dequantizeOutIn(), [w.outFeatures, w.inFeatures]))),
    };
  }) as unknown as Custom);
  return f(x2d) as Tensor2D;
}
