// A LoRA branch on one linear layer (peft/tuners/lora/layer.py): y += dropout(x)·Aᵀ·Bᵀ·scaling,
// with A [r, in] and B [out, r] as PEFT stores them. The runtime keeps them
// transposed (aT [in, r], bT [r, out]) so both products are plain x·W matMuls.
// The base weight never changes; merge and unmerge produce a new weight.
import type { Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';
import type { LinearAdapter } from '../../models/decoder/linear';
import { matMulBoth } from '../../models/decoder/matmul';
import { variableFrom } from '../../train/variables';

export const isVariable = (t: Tensor2D | Tensor1D | Variable): t is Variable => 'assign' in t;

export interface LoraLayerInit {
  module: string;
  aT: Tensor2D | Variable; // [in, r]
  bT: Tensor2D | Variable; // [r, out]
  scaling: number;
  dropout: number;
}

export class LoraLayer implements LinearAdapter {
  readonly module: string;
  aT: Tensor2D | Variable;
  bT: Tensor2D | Variable;
  /** Mutable so a weighted combination of adapters can scale each one. */
  scaling: number;
  readonly dropout: number;
  /** Dropout applies only while training. */
  training = false;
  /** Seed of the dropout mask, set by the trainer per step so runs and resumes repeat exactly. */
  dropoutSeed: number | undefined;

  constructor(init: LoraLayerInit) {
    this.module = init.module;
    this.aT = init.aT;
    this.bT = init.bT;
    this.scaling = init.scaling;
    this.dropout = init.dropout;
  }

  /** Turns A and B into trainable variables (named by PEFT's keys), e.g. for an adapter loaded from disk. */
  makeTrainable(tf: Tf): Variable[] {
    if (!isVariable(this.aT)) this.aT = variableFrom(tf, this.aT, `${this.module}.lora_A`);
    if (!isVariable(this.bT)) this.bT = variableFrom(tf, this.bT, `${this.module}.lora_B`);
    return this.variables();
  }

  variables(): Variable[] {
    return [this.aT, this.bT].filter(isVariable);
  }

  get rank(): number {
    return this.aT.shape[1]!;
  }

  forward(tf: Tf, x2d: Tensor2D): Tensor2D {
    return tf.tidy(() => {
      const x = this.dropInput(tf, x2d);
      return tf.mul(matMulBoth(tf, matMulBoth(tf, x, this.aT), this.bT), this.scaling) as Tensor2D;
    });
  }

  /** PEFT's lora_dropout: on the adapter's input only, and only while training. */
  protected dropInput(tf: Tf, x2d: Tensor2D): Tensor2D {
    return this.training && this.dropout > 0 ? (tf.dropout(x2d, this.dropout, undefined, this.dropoutSeed) as Tensor2D) : x2d;
  }

  /** ΔW in the runtime's [in, out] layout: scaling·(B·A)ᵀ = scaling·Aᵀ·Bᵀ. */
  deltaInOut(tf: Tf): Tensor2D {
    return tf.tidy(() => tf.mul(tf.matMul(this.aT, this.bT), this.scaling) as Tensor2D);
  }

  dispose(): void {
    this.aT.dispose();
    this.bT.dispose();
  }
}

/** The scaling lives with the method descriptors (one definition for inspect, training, loading and merge). */
export { loraScaling } from '../../../../shared/config/methods';
