// BatchMatMul for the wasm backend that keeps every product on XNNPACK's
// fully-connected path. tfjs-backend-wasm 4.22.0 (src/cc/batch_mat_mul_impl.cc)
// sends a product to XNNPACK only when it is one plain 2-D matrix pair; with a
// batch (attention's per-head products) or a transposed side it runs a scalar
// triple loop with neither SIMD nor threads — measured on this project's 2-core
// machine at 1–3 GFLOP/s against 25–80 for the 2-D path, 64% of a LoRA step.
// This kernel splits a batch into 2-D products on views of the inputs' memory
// (no copies: the C++ side is handed tensor ids that point into the middle of a
// buffer), folds a batch against one shared right-hand matrix into a single tall
// product, and materialises a transposed side with the Transpose kernel first
// (a few ms) instead of letting the slow loop read it strided. Each product is
// XNNPACK's own, so results are those of tf.matMul on a 2-D pair, bit for bit,
// whatever the thread count.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { disposeView, registerView, shapeBytes, tensorData, type WasmBackend } from './wasm-internals';

type WasmMatMul = (
  aId: number,
  aShape: Uint8Array,
  aRank: number,
  bId: number,
  bShape: Uint8Array,
  bRank: number,
  transposeA: boolean,
  transposeB: boolean,
  outId: number,
) => void;

interface Attrs {
  transposeA: boolean;
  transposeB: boolean;
}

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

let installed = false;

/**
 * Multiply-adds per product below which tfjs's own kernel runs it. Measured on the
 * 2-core machine: 48 products of 1×64·64×256 take 5 ms in the scalar loop and
 * 100 ms as XNNPACK calls under load (each call wakes the thread pool); at
 * 64×64·64×64 both take the same time; at 256×64·64×256 XNNPACK is 3–7× faster.
 */
const MIN_XNN_MACS = 64 * 64 * 64;

/** Replaces the wasm backend's BatchMatMul with the 2-D-path kernel; returns false if wasm is not registered. */
export function installWasmBatchMatMul(tf: Tf): boolean {
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transposeKernel = tf.getKernel('Transpose', 'wasm');
  if (!original || !transposeKernel) return false;
  if (installed) return true;
  let wasmMatMul: WasmMatMul | null = null;

  const transposeLast = (x: TensorInfo, backend: WasmBackend): TensorInfo => {
    const perm = x.shape.map((_, i) => i);
    const r = x.shape.length;
    [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
    return transposeKernel.kernelFunc({ inputs: { x }, backend: backend as never, attrs: { perm } }) as TensorInfo;
  };

  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const backend = args.backend as unknown as WasmBackend;
    let a = args.inputs.a as TensorInfo;
    let b = args.inputs.b as TensorInfo;
    const { transposeA, transposeB } = args.attrs as unknown as Attrs;
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    const batchA = prod(outerA);
    const batchB = prod(outerB);
    // Broadcasting other than "same batch" or "one side unbatched" is left to tfjs's own kernel.
    const outer = batchA >= batchB ? outerA : outerB;
    const sameOuter = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || !(sameOuter || batchA === 1 || batchB === 1)) {
      return original.kernelFunc(args) as TensorInfo;
    }
    const [m0, k0] = a.shape.slice(-2) as [number, number];
    const n0 = (transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1])!;
    const plain2d = batchA === 1 && batchB === 1 && !transposeA && !transposeB;
    if (!plain2d && m0 * k0 * n0 < MIN_XNN_MACS) {
      // Small products (one decoded token against the KV cache: 1×d·d×T per head) cost less in
      // the scalar loop than XNNPACK's per-product set-up and thread dispatch.
      return original.kernelFunc(args) as TensorInfo;
    }
    wasmMatMul ??= backend.wasm.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']) as WasmMatMul;

    const temps: TensorInfo[] = [];
    if (transposeA) temps.push((a = transposeLast(a, backend)));
    if (transposeB) temps.push((b = transposeLast(b, backend)));
    const [m, k] = a.shape.slice(-2) as [number, number];
    const [k2, n] = b.shape.slice(-2) as [number, number];
    if (k !== k2) {
      temps.forEach((t) => backend.disposeData(t.dataId));
      throw new Error(`matMul: inner dimensions ${k} and ${k2} of shapes [${args.inputs.a!.shape}] and [${args.inputs.b!.shape}] ` +
        `(transposeA ${transposeA}, transposeB ${transposeB}) must match`);
    }
    const batch = Math.max(batchA, batchB);
    const out = backend.makeOutput([...outer, m, n], 'float32');
    const ad = tensorData(backend, a);
    const bd = tensorData(backend, b);
    const od = tensorData(backend, out);
    if (batch * m * n === 0 || k === 0) {
      // Nothing to multiply (an empty side) — a k of 0 is a zero matrix, which makeOutput's fresh memory is not.
      if (k === 0) new Float32Array(backend.wasm.HEAPU8.buffer, od.memoryOffset, batch * m * n).fill(0);
      temps.forEach((t) => backend.disposeData(t.dataId));
      return out;
    }

    if (batchB === 1) {
      // One right-hand matrix for the whole batch: [batch·m, k]·[k, n] in one product, on the real ids
      // (XNNPACK caches its packed copy of b under b's id, so a frozen weight is packed once).
      wasmMatMul(ad.id, shapeBytes([1, batch * m, k]), 3, bd.id, shapeBytes([1, k, n]), 3, false, false, od.id);
    } else {
      for (let i = 0; i < batch; i++) {
        const av = batchA === 1 ? ad.id : registerView(backend, ad, i * m * k, m * k);
        const bv = registerView(backend, bd, i * k * n, k * n);
        const ov = registerView(backend, od, i * m * n, m * n);
        wasmMatMul(av, shapeBytes([1, m, k]), 3, bv, shapeBytes([1, k, n]), 3, false, false, ov);
        if (av !== ad.id) disposeView(backend, av);
        disposeView(backend, bv);
        disposeView(backend, ov);
      }
    }
    temps.forEach((t) => backend.disposeData(t.dataId));
    return out;
  };

  tf.unregisterKernel('BatchMatMul', 'wasm');
  const config: KernelConfig = { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
  tf.registerKernel(config);
  installed = true;
  return true;
}
