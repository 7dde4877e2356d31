// The parts of @tensorflow/tfjs-backend-wasm 4.22.0's BackendWasm that our own
// kernels use (tfjs-backend-wasm/src/backend_wasm.ts): the emscripten module, the
// dataId → heap-offset map and tensor registration with the C++ side. None of it
// is public API, so package.json pins the exact version these were read from.
import type { DataType, TensorInfo } from '@tensorflow/tfjs';

export interface WasmTensorData {
  /** The C++ side's tensor id. */
  id: number;
  /** Byte offset of the tensor's data in the wasm heap. */
  memoryOffset: number;
  shape: number[];
  dtype: DataType;
  refCount: number;
}

export interface WasmModule {
  cwrap(name: string, ret: null | 'number', args: string[]): (...args: unknown[]) => unknown;
  HEAPU8: Uint8Array;
  tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
    getThreadsCount(): number;
  };
}

export interface WasmBackend {
  wasm: WasmModule;
  dataIdMap: { get(dataId: object): WasmTensorData | undefined };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
}

export function tensorData(backend: WasmBackend, t: TensorInfo): WasmTensorData {
  const d = backend.dataIdMap.get(t.dataId);
  if (!d) throw new Error(`wasm kernel: tensor of shape [${t.shape.join(', ')}] has no data on the wasm backend`);
  return d;
}

/**
 * A C++-side tensor id for `size` float32 elements starting `elementOffset`
 * elements into `base`'s buffer: a view that shares the memory, so a kernel can
 * run on part of a tensor without copying it. Release it with disposeView (which
 * also drops any XNNPACK operator cached on the id), never with backend.disposeData.
 */
export function registerView(backend: WasmBackend, base: WasmTensorData, elementOffset: number, size: number): number {
  const id = backend.dataIdNextNumber++;
  backend.wasm.tfjs.registerTensor(id, size, base.memoryOffset + elementOffset * 4);
  return id;
}

export function disposeView(backend: WasmBackend, id: number): void {
  backend.wasm.tfjs.disposeData(id);
}

/** The int32 shape bytes the wasm kernels take for an 'array' argument. */
export const shapeBytes = (shape: readonly number[]): Uint8Array => new Uint8Array(new Int32Array(shape).buffer);

/** A float32 view of a tensor's data in the wasm heap (valid until the heap next grows). */
export function heapF32(backend: WasmBackend, d: WasmTensorData, size: number): Float32Array {
  return new Float32Array(backend.wasm.HEAPU8.buffer, d.memoryOffset, size);
}
