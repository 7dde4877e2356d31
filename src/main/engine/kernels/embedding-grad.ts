// The gradient of an embedding lookup (a gather of table rows by token id) with
// respect to the table: dTable[v] = Σ over positions i with ids[i] = v of dy[i],
// as one op, `EmbeddingGrad` (dy float32 [N, H], ids int32 [N]; attr vocab).
// tfjs's own gather gradient needs UnsortedSegmentSum, which the wasm backend
// lacks and which tfjs-backend-webgpu 4.22.0 computes with a compare-and-swap
// float add per element (unsorted_segment_sum_webgpu.ts) — an order that changes
// from run to run, so a resumed run would not repeat bit for bit.
//
// Registered for wasm and cpu: rows of dy added in position order into a fresh
// [V, H] buffer, one pass over dy. Elsewhere (webgpu, tensorflow) embeddingGrad
// composes it from ops whose order is fixed: the ids are host data, so the
// distinct ids u_1 … u_U and a [U, N] selection matrix (1 where ids[i] = u_j) are
// built here, one matMul gives the U summed rows, and a gather by a [V] index
// (0 for ids not in the batch, pointing at a zero row) spreads them over the table.
// The selection matrix is built and multiplied SELECT_ELEMENTS at most at a time
// (blocks of distinct ids, in order): whole, a 16,384-token micro-batch with 6,000
// distinct ids would be a 393 MB matrix on the host and in one GPU buffer, past
// many adapters' maxStorageBufferBindingSize. The blocks depend only on the ids,
// so the same batch sums in the same order every time.
import type { KernelConfig, KernelFunc, Tensor2D, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { heapF32, tensorData, type WasmBackend } from './wasm-internals';

export const EMBEDDING_GRAD = 'EmbeddingGrad';

/** Elements of one block of the selection matrix (16 MiB of float32). */
export const SELECT_ELEMENTS = 1 << 22;

interface Attrs {
  vocab: number;
}

interface CpuBackend {
  data: { get(dataId: object): { values: Float32Array | Int32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/** out[ids[i]] += rows[i] for every position i, in order; `out` is [V, H] and starts at zero. */
function addRows(out: Float32Array, rows: Float32Array, ids: Int32Array, hidden: number): void {
  for (let i = 0; i < ids.length; i++) {
    const dst = ids[i]! * hidden;
    const src = i * hidden;
    for (let j = 0; j < hidden; j++) out[dst + j]! += rows[src + j]!;
  }
}

const installed = new Set<string>();

/** Registers the op for `backend` ('wasm' or 'cpu'); a no-op when it is registered already. */
export function installEmbeddingGrad(tf: Tf, backendName: 'wasm' | 'cpu'): void {
  if (installed.has(backendName) || tf.getKernel(EMBEDDING_GRAD, backendName)) return;
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { dy, ids } = args.inputs as { dy: TensorInfo; ids: TensorInfo };
    const { vocab } = args.attrs as unknown as Attrs;
    const [n, hidden] = dy.shape as [number, number];
    if (backendName === 'wasm') {
      const backend = args.backend as unknown as WasmBackend;
      const out = backend.makeOutput([vocab, hidden], 'float32');
      // Views taken after makeOutput: allocating may have grown (and moved) the heap.
      const heap = backend.wasm.HEAPU8.buffer as ArrayBuffer;
      const target = heapF32(backend, tensorData(backend, out), vocab * hidden).fill(0);
      addRows(target, heapF32(backend, tensorData(backend, dy), n * hidden), new Int32Array(heap, tensorData(backend, ids).memoryOffset, n), hidden);
      return out;
    }
    const backend = args.backend as unknown as CpuBackend;
    const grad = new Float32Array(vocab * hidden);
    addRows(grad, backend.data.get(dy.dataId).values as Float32Array, backend.data.get(ids.dataId).values as Int32Array, hidden);
    return backend.makeTensorInfo([vocab, hidden], 'float32', grad);
  };
  const config: KernelConfig = { kernelName: EMBEDDING_GRAD, backendName, kernelFunc: kernelFunc as unknown as KernelFunc };
  tf.registerKernel(config);
  installed.add(backendName);
}

/** dTable [vocab, H] of a lookup of `ids` whose output gradient is dy [N, H]. */
export function embeddingGrad(tf: Tf, dy: Tensor2D, ids: Int32Array, vocab: number): Tensor2D {
  if (tf.getKernel(EMBEDDING_GRAD, tf.getBackend())) {
    return tf.tidy(() => tf.engine().runKernel(EMBEDDING_GRAD, { dy, ids: tf.tensor1d(ids, 'int32') } as never, { vocab } as never) as Tensor2D);
  }
  const slot = new Map<number, number>();
  for (const id of ids) if (!slot.has(id)) slot.set(id, slot.size);
  const u = slot.size;
  const n = ids.length;
  // Row 0 is zero (ids not in the batch); the summed row of distinct id j is row j + 1.
  const index = new Int32Array(vocab);
  for (const [id, j] of slot) index[id] = j + 1;
  const block = Math.max(1, Math.floor(SELECT_ELEMENTS / Math.max(1, n)));
  return tf.tidy(() => {
    const parts = [tf.zeros([1, dy.shape[1]])];
    for (let start = 0; start < u; start += block) {
      const rows = Math.min(block, u - start);
      const select = new Float32Array(rows * n);
      ids.forEach((id, i) => {
        const j = slot.get(id)! - start;
        if (j >= 0 && j < rows) select[j * n + i] = 1;
      });
      // Freed as soon as its product is queued, so one block at a time is held, not all of them.
      const selection = tf.tensor2d(select, [rows, n]);
      parts.push(tf.matMul(selection, dy));
      selection.dispose();
    }
    return tf.gather(tf.concat(parts), tf.tensor1d(index, 'int32')) as Tensor2D;
  });
}
