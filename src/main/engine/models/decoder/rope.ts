// Rotary position embeddings as Hugging Face Llama applies them (transformers models/llama/modeling_llama.py rotate_half/apply_rotary_pos_emb):
// inv_freq[i] = theta^(-2i/d), emb = concat(freqs, freqs), and the half-split
// rotate_half(x) = concat(-x[d/2:], x[:d/2]) — not interleaved pairs.
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';

/** cos and sin tables [T, headDim] for positions offset..offset+T-1, computed in float64 then stored as float32. */
export function ropeTables(tf: Tf, headDim: number, theta: number, offset: number, length: number): { cos: Tensor2D; sin: Tensor2D } {
  const half = headDim / 2;
  const cos = new Float32Array(length * headDim);
  const sin = new Float32Array(length * headDim);
  for (let t = 0; t < length; t++) {
    for (let i = 0; i < half; i++) {
      // HF computes inv_freq in float32 first; doing the same keeps angles identical at long positions.
      const invFreq = Math.fround(1 / Math.pow(theta, Math.fround((2 * i) / headDim)));
      const angle = Math.fround((offset + t) * invFreq);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[t * headDim + i] = cos[t * headDim + i + half] = c;
      sin[t * headDim + i] = sin[t * headDim + i + half] = s;
    }
  }
  return { cos: tf.tensor2d(cos, [length, headDim]), sin: tf.tensor2d(sin, [length, headDim]) };
}

/** x [B, heads, T, d] rotated by the tables [T, d]. */
export function applyRope(tf: Tf, x: Tensor, cos: Tensor2D, sin: Tensor2D): Tensor {
  return tf.tidy(() => {
    const d = x.shape[x.rank - 1]!;
    const [x1, x2] = tf.split(x, [d / 2, d / 2], -1) as [Tensor, Tensor];
    const rotated = tf.concat([tf.neg(x2), x1], -1);
    return tf.add(tf.mul(x, cos), tf.mul(rotated, sin));
  });
}
