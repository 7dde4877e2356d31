// Embedding lookup. A frozen table is a plain gather; a trainable one (full
// fine-tuning) gets a hand-written gradient — the rows of dy added into a
// [vocab, hidden] buffer in JavaScript — because gather's own gradient needs the
// UnsortedSegmentSum kernel, which the wasm backend does not have.
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';

export function embeddingLookup(tf: Tf, table: Tensor2D, ids: Int32Array): Tensor2D {
  const idx = tf.tensor1d(ids, 'int32');
  if (!('assign' in table)) return tf.gather(table, idx) as Tensor2D;
  const [vocab, hidden] = table.shape;
  const f = tf.customGrad(((t: Tensor, save: (ts: Tensor[]) => void) => {
    save([]);
    return {
      value: tf.gather(t, idx),
      gradFunc: (dy: Tensor) => {
        const rows = dy.dataSync();
        const grad = new Float32Array(vocab * hidden);
        for (let i = 0; i < ids.length; i++) {
          const dst = ids[i]! * hidden;
          const src = i * hidden;
          for (let j = 0; j < hidden; j++) grad[dst + j]! += rows[src + j]!;
        }
        return tf.tensor2d(grad, [vocab, hidden]);
      },
    };
  }) as unknown as Parameters<Tf['customGrad']>[0]);
  return f(table) as Tensor2D;
}
