// BatchMatMul and _FusedMatMul for the webgpu backend in a fixed summation order.
// tfjs-backend-webgpu 4.22.0 (kernels/BatchMatMul_impl.ts) picks a program per
// call from the shapes; when the output needs few 32×32 workgroups, batch is 1
// and the inner dimension is ≥ 2000 it takes MatMulSplitKProgram
// (matmul_splitK_webgpu.ts), which cuts K into slices of 128 and adds each
// slice's partial product into the output with an atomic compare-and-swap float
// add — an order that changes from run to run (measured on llvmpipe: six runs of
// one [8, 4096] × [4096, 64] product gave six different results). The LoRA
// gradients are such products once a micro-batch has 2,000 tokens (xᵀ·dy is
// [in, r] with K = tokens), so a resumed run would not repeat an uninterrupted
// one bit for bit. This wrapper makes exactly tfjs's choice except that
// split-K becomes MatMulSmallOutputSizeProgram, the program tfjs itself takes for
// few workgroups otherwise (each output element summed over K by one invocation,
// in order), by setting the backend's own WEBGPU_MATMUL_PROGRAM_TYPE flag for
// that call. A flag set by the user (≥ 0) is left alone.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../backend';

// tfjs-backend-webgpu's MatMulProgramType (webgpu_util.ts).
const SPLIT_K = 1;
const SMALL_OUTPUT_SIZE = 2;
const FLAG = 'WEBGPU_MATMUL_PROGRAM_TYPE';
const THRESHOLD_FLAG = 'WEBGPU_THRESHOLD_TO_INCREASE_WORKGROUPS_FOR_MATMUL';

interface Shapes {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * The program tfjs-backend-webgpu 4.22.0's batchMatMulImpl picks when its flag
 * is auto (-1), as its MatMulProgramType number; `threshold` is its
 * thresholdToIncreaseWorkgroups (8, or 16 on Intel gen ≥ 12).
 */
export function webGpuMatMulProgram({ a, b, transposeA, transposeB }: Shapes, threshold: number): number {
  const outerA = transposeA ? a[a.length - 1]! : a[a.length - 2]!;
  const outerB = transposeB ? b[b.length - 2]! : b[b.length - 1]!;
  const inner = transposeB ? b[b.length - 1]! : b[b.length - 2]!;
  const size = (dims: number[]) => dims.slice(0, -2).reduce((p, d) => p * d, 1);
  const batch = Math.max(size(a), size(b));
  const workgroups = batch * Math.ceil(outerA / 32) * Math.ceil(outerB / 32);
  const few = workgroups <= threshold || (outerA <= 8 && workgroups <= threshold * 2);
  if (!few) return 3; // MatMulPackedProgram
  if (batch * outerA * outerB <= 128) return 0; // MatMulReduceProgram
  return batch === 1 && inner >= 2000 ? SPLIT_K : SMALL_OUTPUT_SIZE;
}

const installed = new Set<string>();

/** Wraps webgpu's BatchMatMul and _FusedMatMul; returns false where they are not registered. */
export function installWebGpuMatMul(tf: Tf): boolean {
  for (const kernelName of ['BatchMatMul', '_FusedMatMul']) {
    if (installed.has(kernelName)) continue;
    const original = tf.getKernel(kernelName, 'webgpu');
    if (!original) return false;
    const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
      const env = tf.env();
      const { a, b } = args.inputs as unknown as { a: TensorInfo; b: TensorInfo };
      const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (env.getNumber(FLAG) >= 0) return original.kernelFunc(args) as TensorInfo;
      const own = env.getNumber(THRESHOLD_FLAG);
      const threshold = own > 0 ? own : (args.backend as unknown as { thresholdToIncreaseWorkgroups: number }).thresholdToIncreaseWorkgroups;
      if (webGpuMatMulProgram({ a: a.shape, b: b.shape, transposeA, transposeB }, threshold) !== SPLIT_K) return original.kernelFunc(args) as TensorInfo;
      env.set(FLAG, SMALL_OUTPUT_SIZE);
      try {
        return original.kernelFunc(args) as TensorInfo;
      } finally {
        env.set(FLAG, -1);
      }
    };
    tf.unregisterKernel(kernelName, 'webgpu');
    const config: KernelConfig = { kernelName, backendName: 'webgpu', kernelFunc: kernelFunc as unknown as KernelFunc };
    tf.registerKernel(config);
    installed.add(kernelName);
  }
  return true;
}
