// An AdaLoRA branch (peft/tuners/adalora/layer.py; Zhang et al. 2023, arXiv:2303.10512): the update P·Λ·Q with P = lora_B [out, r],
// Λ = lora_E [r, 1] and Q = lora_A [r, in]; y += dropout(x)·(A ⊙ E)ᵀ·Bᵀ·α/(ranknum + 1e-5),
// where ranknum stays init_r even after triplets are pruned. It extends the LoRA
// layer: the same transposed storage, with Λ scaling the rank axis in between.
import type { Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';
import { isVariable, LoraLayer, type LoraLayerInit } from '../lora/layer';
import { matMulBoth } from '../../models/decoder/matmul';
import { variableFrom } from '../../train/variables';
import { adaloraScaling } from '../../../../shared/config/methods';

export interface AdaloraLayerInit extends Omit<LoraLayerInit, 'scaling'> {
  e: Tensor1D | Variable; // [r]: λ_i
  alpha: number;
  /** init_r: PEFT's fixed ranknum. */
  ranknum: number;
}

export class AdaloraLayer extends LoraLayer {
  e: Tensor1D | Variable;
  readonly alpha: number;
  readonly ranknum: number;

  constructor(init: AdaloraLayerInit) {
    super({ ...init, scaling: adaloraScaling(init.alpha, init.ranknum) });
    this.e = init.e;
    this.alpha = init.alpha;
    this.ranknum = init.ranknum;
  }

  override makeTrainable(tf: Tf): Variable[] {
    super.makeTrainable(tf);
    if (!isVariable(this.e)) this.e = variableFrom(tf, this.e, `${this.module}.lora_E`);
    return this.variables();
  }

  override variables(): Variable[] {
    return [this.aT, this.bT, this.e].filter(isVariable);
  }

  override forward(tf: Tf, x2d: Tensor2D): Tensor2D {
    return tf.tidy(() => {
      const x = this.dropInput(tf, x2d);
      const projected = tf.mul(matMulBoth(tf, x, this.aT), this.e); // [N, r] · λ per column
      return tf.mul(matMulBoth(tf, projected, this.bT), this.scaling) as Tensor2D;
    });
  }

  override deltaInOut(tf: Tf): Tensor2D {
    return tf.tidy(() => tf.mul(tf.matMul(tf.mul(this.aT, this.e), this.bT), this.scaling) as Tensor2D);
  }

  override dispose(): void {
    super.dispose();
    this.e.dispose();
  }
}

export { adaloraScaling };
