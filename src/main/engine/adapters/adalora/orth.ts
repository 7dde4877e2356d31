// AdaLoRA's orthogonal regularization, as peft/tuners/adalora/model.py
// AdaLoraModel.forward adds it to the loss (Zhang et al. 2023, arXiv:2303.10512, eq. 4):
//   R = mean over every lora_A and lora_B matrix of ‖A·Aᵀ − I‖_F (for A [r, in]) and
//       ‖Bᵀ·B − I‖_F (for B [out, r]) — the Frobenius norm itself, not its square;
//   loss += orth_reg_weight · R.
// The runtime stores aT = Aᵀ [in, r] and bT = Bᵀ [r, out], so A·Aᵀ = aTᵀ·aT and Bᵀ·B = bT·bTᵀ.
import type { Scalar } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';
import type { AdaloraLayer } from './layer';

/** R, the mean Frobenius distance from orthogonality of the layers' P and Q (all triplets, masked or not, as PEFT). */
export function orthRegularization(tf: Tf, layers: readonly AdaloraLayer[]): Scalar {
  return tf.tidy(() => {
    const terms: Scalar[] = [];
    for (const l of layers) {
      const r = l.rank;
      const eye = tf.eye(r);
      const aat = tf.matMul(l.aT, l.aT, true, false); // A·Aᵀ [r, r]
      const btb = tf.matMul(l.bT, l.bT, false, true); // Bᵀ·B [r, r]
      terms.push(tf.norm(tf.sub(aat, eye)) as Scalar, tf.norm(tf.sub(btb, eye)) as Scalar);
    }
    return terms.length ? (tf.div(tf.addN(terms), terms.length) as Scalar) : tf.scalar(0);
  });
}
