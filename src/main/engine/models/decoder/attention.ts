// Causal self-attention with a padding mask, grouped-query key/value heads and a
// key/value cache. Shapes: x [B, T, hidden]; heads are split to [B, h, T, d].
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';
import { matMulBoth } from './matmul';

/** Keys and values of earlier positions for one layer, after RoPE, before GQA repetition. */
export interface LayerCache {
  k: Tensor4D; // [B, kvHeads, Tpast, d]
  v: Tensor4D;
}

/** [B, T, heads·d] → [B, heads, T, d]. */
export function splitHeads(tf: Tf, x: Tensor, heads: number, headDim: number): Tensor4D {
  const [b, t] = x.shape as [number, number, number];
  return tf.transpose(x.reshape([b, t, heads, headDim]), [0, 2, 1, 3]) as Tensor4D;
}

/** [B, heads, T, d] → [B, T, heads·d]. */
export function mergeHeads(tf: Tf, x: Tensor4D): Tensor {
  const [b, h, t, d] = x.shape;
  return tf.transpose(x, [0, 2, 1, 3]).reshape([b, t, h * d]);
}

/**
 * Repeats each key/value head for its group of query heads: query head j uses
 * kv head floor(j / nRep), contiguous grouping as Hugging Face's repeat_kv.
 */
export function repeatKv(tf: Tf, x: Tensor4D, nRep: number): Tensor4D {
  if (nRep === 1) return x;
  const [b, kv, t, d] = x.shape;
  // nRep copies side by side with Concat (a memcpy per block) rather than Tile, whose wasm
  // kernel indexes element by element: [8, 2, 1, 8192] → [8, 2, 2, 8192] took 41 ms tiled
  // and 0.1 ms concatenated (forward+backward 28 vs 4.5 ms), measured on this project's
  // 2-core machine; the values are the same copies either way.
  const flat = x.reshape([b, kv, 1, t * d]);
  return tf.concat(Array.from({ length: nRep }, () => flat), 2).reshape([b, kv * nRep, t, d]) as Tensor4D;
}

/**
 * Additive mask [B, 1, Tq, Tk]: 0 where query i (at absolute position past+i)
 * may see key j (j ≤ past+i and key j is not padding), a large negative number
 * elsewhere. `keyMask` is [B][Tk] with 1 for real tokens.
 */
export function attentionMask(tf: Tf, keyMask: number[][], tq: number, past: number): Tensor4D {
  const b = keyMask.length;
  const tk = past + tq;
  const data = new Float32Array(b * tq * tk);
  for (let s = 0; s < b; s++) {
    const keys = keyMask[s]!;
    for (let i = 0; i < tq; i++) {
      for (let j = 0; j < tk; j++) {
        const visible = j <= past + i && keys[j] === 1;
        data[(s * tq + i) * tk + j] = visible ? 0 : MASKED;
      }
    }
  }
  return tf.tensor4d(data, [b, 1, tq, tk]);
}

/** Large enough that exp() of it underflows to exactly 0 next to any real score. */
const MASKED = -1e9;

/** softmax(q·kᵀ/√d + mask)·v for q [B,h,Tq,d], k/v [B,h,Tk,d] (already repeated). */
export function scaledDotProduct(tf: Tf, q: Tensor4D, k: Tensor4D, v: Tensor4D, mask: Tensor4D): Tensor4D {
  return tf.tidy(() => {
    const d = q.shape[3];
    // An explicit transpose keeps the product on the plain matMul path (transposeB is slow on wasm).
    const kt = tf.transpose(k, [0, 1, 3, 2]);
    // The 1/√d scale on q ([.., Tq, d]) rather than on the scores ([.., Tq, Tk]): a quarter of the
    // elements at T = 256, d = 64, and the same bits whenever √d is a power of two (d = 64, 256).
    const scores = tf.add(matMulBoth(tf, tf.mul(q, 1 / Math.sqrt(d)), kt), mask);
    return matMulBoth(tf, tf.softmax(scores, -1), v) as Tensor4D;
  });
}
