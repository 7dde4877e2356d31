// What bench/lora-vs-full.ts's diagnostic child uses to follow the wasm backend's
// memory: tfjs-backend-wasm 4.22's copying Identity kernel (to put it back and
// compare with the engine's sharing one), an allocation tracker that attributes
// every live wasm buffer to the kernel that allocated it, and the heap's size.
// Not an entry point.
import type { Tf } from '../src/main/engine/backend';

export interface WasmModule {
  _malloc(n: number): number;
  _free(p: number): void;
  HEAPU8: Uint8Array;
}

/** tfjs-backend-wasm 4.22's own Identity: a fresh buffer and a copy of the input's bytes. */
export function copyingIdentity(tf: Tf): void {
  const current = tf.getKernel('Identity', 'wasm');
  if (!current) throw new Error('the wasm backend has no Identity kernel');
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    ...current,
    kernelFunc: (args) => {
      const x = args.inputs.x as { dataId: object; shape: number[]; dtype: string };
      if (x.dtype === 'string') return current.kernelFunc(args);
      type Heap = { makeOutput(shape: number[], dtype: string): { dataId: object }; typedArrayFromHeap(t: object): { set(v: ArrayLike<number>): void } & ArrayLike<number> };
      const backend = args.backend as unknown as Heap;
      const out = backend.makeOutput(x.shape, x.dtype);
      backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(x));
      return out as never;
    },
  });
}

/**
 * Follows the backend's allocations: wraps wasm._malloc/_free (the backend looks
 * them up on every call) and every wasm kernel, so each live buffer is attributed
 * to the kernel that allocated it.
 */
export function trackAllocations(tf: Tf, wasm: WasmModule) {
  const malloc = wasm._malloc.bind(wasm);
  const free = wasm._free.bind(wasm);
  const buffers = new Map<number, { bytes: number; kernel: string }>();
  let live = 0;
  let peak = 0;
  let kernel = '(outside a kernel)';
  wasm._malloc = (n) => {
    const p = malloc(n);
    buffers.set(p >>> 0, { bytes: n, kernel });
    live += n;
    peak = Math.max(peak, live);
    return p;
  };
  wasm._free = (p) => {
    const b = buffers.get(p >>> 0);
    if (b) {
      live -= b.bytes;
      buffers.delete(p >>> 0);
    }
    free(p);
  };
  for (const config of tf.getKernelsForBackend('wasm')) {
    const f = config.kernelFunc;
    (config as { kernelFunc: typeof f }).kernelFunc = (args) => {
      const outer = kernel;
      kernel = config.kernelName;
      try {
        return f(args);
      } finally {
        kernel = outer;
      }
    };
  }
  return {
    /** Counts from here on: only buffers allocated after reset() are live. */
    reset() {
      buffers.clear();
      live = 0;
      peak = 0;
    },
    live: () => live,
    peak: () => peak,
    liveFrom: (name: string) => [...buffers.values()].reduce((n, b) => n + (b.kernel === name ? b.bytes : 0), 0),
  };
}

export function wasmHeapBytes(backend: unknown): number {
  return (backend as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.byteLength ?? 0;
}
