// Embedding lookup. A frozen table is a plain gather; a trainable one (full
// fine-tuning) gets its gradient from kernels/embedding-grad.ts — rows of dy
// summed per token id in a fixed order on every backend — because gather's own
// gradient needs UnsortedSegmentSum, which the wasm backend does not have and
// which webgpu sums in an order that changes from run to run.
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';
import { embeddingGrad } from '../../kernels/embedding-grad';

export function embeddingLookup(tf: Tf, table: Tensor2D, ids: Int32Array): Tensor2D {
  const idx = tf.tensor1d(ids, 'int32');
  if (!('assign' in table)) return tf.gather(table, idx) as Tensor2D;
  const vocab = table.shape[0];
  const f = tf.customGrad(((t: Tensor, save: (ts: Tensor[]) => void) => {
    save([]);
    return {
      value: tf.gather(t, idx),
      gradFunc: (dy: Tensor) => embeddingGrad(tf, dy as Tensor2D, ids, vocab),
    };
  }) as unknown as Parameters<Tf['customGrad']>[0]);
  return f(table) as Tensor2D;
}
