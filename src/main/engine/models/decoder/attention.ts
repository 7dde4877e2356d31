// Causal self-attention with a padding mask, grouped-query key/value heads and a
// key/value cache. Shapes: x [B, T, hidden]; heads are split to [B, h, T, d].
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';
import { matMulBoth } from './matmul';

/** Keys and values of earlier positions for one layer, after RoPE, one per kv head (grouped-query attention shares them). */
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

/**
 * softmax(q·kᵀ/√d + mask)·v for q [B, heads, Tq, d] and k/v [B, kvHeads, Tk, d]
 * (grouped-query attention: query head j uses kv head floor(j / nRep), contiguous
 * grouping as Hugging Face's repeat_kv). The nRep query heads of a group sit next to
 * each other in q, so [B, heads, Tq, d] → [B, kvHeads, nRep·Tq, d] is a free reshape
 * and each group is one product against its own keys and values: no repeated copy of
 * k and v, and half (nRep = 2) as many, twice as tall per-head matMuls.
 */
export function scaledDotProduct(tf: Tf, q: Tensor4D, k: Tensor4D, v: Tensor4D, mask: Tensor4D): Tensor4D {
  return tf.tidy(() => {
    const [b, heads, tq, d] = q.shape;
    const kvHeads = k.shape[1];
    const nRep = heads / kvHeads;
    const grouped = nRep === 1 ? q : q.reshape([b, kvHeads, nRep * tq, d]);
    // Row r·Tq + t of a group is query t of its r-th head: the mask's rows, once per head of the group.
    const groupMask = nRep === 1 ? mask : tf.concat(Array.from({ length: nRep }, () => mask), 2);
    // An explicit transpose keeps the product on the plain matMul path (transposeB is slow on wasm).
    const kt = tf.transpose(k, [0, 1, 3, 2]);
    // The 1/√d scale on q ([.., Tq, d]) rather than on the scores ([.., Tq, Tk]): a quarter of the
    // elements at T = 256, d = 64, and the same bits whenever √d is a power of two (d = 64, 256).
    const scores = tf.add(matMulBoth(tf, tf.mul(grouped, 1 / Math.sqrt(d)), kt), groupMask);
    const out = matMulBoth(tf, tf.softmax(scores, -1), v);
    return (nRep === 1 ? out : out.reshape([b, heads, tq, d])) as Tensor4D;
  });
}
