// The gradient of the summed softmax cross-entropy with respect to the logits,
// (softmax − one_hot(label)) · scale per row, as one op: `SoftmaxXentGrad`
// (probs [rows, V], labels int32 [rows], scale [rows, 1]). Registered for the wasm
// and cpu backends, where it is one broadcast multiply (the backend's own Multiply
// kernel, into a fresh output) and then `rows` subtractions at the labels, so no
// [rows, V] one-hot matrix is ever built: at a 2,048 × 8,192 batch the one-hot
// and its multiply-subtract cost ~200 ms of a step on wasm. The webgpu backend
// has its own kernel, one shader (webgpu-softmax-xent-grad.ts). Where the op is
// not registered (the tensorflow backend keeps its own kernels), softmaxXentGrad
// composes the same result from tfjs ops.
import type { KernelConfig, KernelFunc, Tensor, Tensor2D, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { tensorData, type WasmBackend } from './wasm-internals';

export const SOFTMAX_XENT_GRAD = 'SoftmaxXentGrad';

interface Inputs {
  probs: TensorInfo;
  labels: TensorInfo;
  scale: TensorInfo;
}

interface CpuBackend {
  data: { get(dataId: object): { values: Float32Array | Int32Array } };
}

/** Subtracts scale[r] at (r, labels[r]) of the row-major [rows, V] `out`, in place. */
function subtractAtLabels(out: Float32Array, labels: Int32Array, scale: Float32Array, v: number): void {
  for (let r = 0; r < labels.length; r++) {
    const s = scale[r]!;
    if (s !== 0) out[r * v + labels[r]!]! -= s;
  }
}

const installed = new Set<string>();

/** Registers the op for `backend` ('wasm' or 'cpu'); a no-op where Multiply is missing or it is registered. */
export function installSoftmaxXentGrad(tf: Tf, backendName: 'wasm' | 'cpu'): void {
  if (installed.has(backendName)) return;
  const multiply = tf.getKernel('Multiply', backendName);
  if (!multiply) return;
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { probs, labels, scale } = args.inputs as unknown as Inputs;
    const [rows, v] = probs.shape as [number, number];
    const out = multiply.kernelFunc({ inputs: { a: probs, b: scale }, backend: args.backend, attrs: {} }) as TensorInfo;
    if (backendName === 'wasm') {
      // Views taken after the multiply: allocating its output may have grown (and moved) the heap.
      const backend = args.backend as unknown as WasmBackend;
      const heap = backend.wasm.HEAPU8.buffer as ArrayBuffer;
      const view = (t: TensorInfo, n: number, Kind: Float32ArrayConstructor | Int32ArrayConstructor) =>
        new Kind(heap, tensorData(backend, t).memoryOffset, n);
      subtractAtLabels(view(out, rows * v, Float32Array) as Float32Array, view(labels, rows, Int32Array) as Int32Array, view(scale, rows, Float32Array) as Float32Array, v);
    } else {
      const data = (args.backend as unknown as CpuBackend).data;
      const values = (t: TensorInfo) => data.get(t.dataId).values;
      subtractAtLabels(values(out) as Float32Array, values(labels) as Int32Array, values(scale) as Float32Array, v);
    }
    return out;
  };
  const config: KernelConfig = { kernelName: SOFTMAX_XENT_GRAD, backendName, kernelFunc: kernelFunc as unknown as KernelFunc };
  tf.registerKernel(config);
  installed.add(backendName);
}

/** (probs − one_hot(labels)) · scale, rows scaled by scale [rows, 1]. */
export function softmaxXentGrad(tf: Tf, probs: Tensor2D, labels: Tensor, scale: Tensor): Tensor2D {
  if (tf.getKernel(SOFTMAX_XENT_GRAD, tf.getBackend())) {
    return tf.engine().runKernel(SOFTMAX_XENT_GRAD, { probs, labels, scale } as never, {}) as Tensor2D;
  }
  return tf.tidy(() => tf.mul(tf.sub(probs, tf.oneHot(labels as Tensor, probs.shape[1])), scale)) as Tensor2D;
}
