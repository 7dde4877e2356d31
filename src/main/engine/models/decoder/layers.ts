// Norms and activations of the decoder families, as Hugging Face computes them
// (transformers models/llama/modeling_llama.py, models/gpt2/modeling_gpt2.py): RMSNorm with eps inside the root, LayerNorm with the biased
// variance, SiLU, and GPT-2's tanh-approximated gelu_new.
import type { Tensor, Tensor1D } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';

export interface NormWeights {
  weight: Tensor1D;
  bias: Tensor1D | null;
  /** Checkpoint name prefix (`model.norm`): where `.weight`/`.bias` are saved. */
  tensor: string;
}

export type NormKind = 'rms' | 'layer';

export function norm(tf: Tf, kind: NormKind, x: Tensor, w: NormWeights, eps: number): Tensor {
  return tf.tidy(() => {
    if (kind === 'rms') {
      const ms = tf.mean(tf.square(x), -1, true);
      return tf.mul(tf.mul(x, tf.rsqrt(tf.add(ms, eps))), w.weight);
    }
    const mean = tf.mean(x, -1, true);
    const centered = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centered), -1, true);
    const y = tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, eps))), w.weight);
    return w.bias ? tf.add(y, w.bias) : y;
  });
}

export const silu = (tf: Tf, x: Tensor): Tensor => tf.tidy(() => tf.mul(x, tf.sigmoid(x)));

const GELU_C = Math.sqrt(2 / Math.PI);

/** 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) — transformers' NewGELUActivation. */
export const geluNew = (tf: Tf, x: Tensor): Tensor =>
  tf.tidy(() => {
    const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), GELU_C);
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
  });

export function disposeNorm(w: NormWeights): void {
  w.weight.dispose();
  w.bias?.dispose();
}
