// AddN for the webgpu backend that fits the device's storage-buffer limit.
// tfjs-backend-webgpu 4.22.0 (kernels/AddN.ts) binds every input and the output
// as storage buffers of one shader, so an AddN of more than
// maxStorageBuffersPerShaderStage − 1 tensors fails pipeline creation ("The
// number of storage buffers (9) in the Compute stage exceeds the maximum
// per-stage limit (8)"; WebGPU's default limit is 8,
// https://gpuweb.github.io/gpuweb/#limits). The engine adds one term per adapted
// matrix (AdaLoRA's orthogonal regularization) and one per trainable tensor (the
// global gradient norm), dozens on a real model. This kernel folds the inputs
// from the left in groups that fit — the first group, then the running sum with
// the next inputs — so each element is summed in input order as one AddN would.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../backend';

interface WebGpuBackend {
  device: { limits: { maxStorageBuffersPerShaderStage: number } };
  disposeData(dataId: object): void;
}

let installed = false;

/** Wraps the webgpu backend's AddN; returns false where that kernel is not registered. */
export function installWebGpuAddN(tf: Tf): boolean {
  if (installed) return true;
  const original = tf.getKernel('AddN', 'webgpu');
  if (!original) return false;
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const inputs = args.inputs as unknown as TensorInfo[];
    const backend = args.backend as unknown as WebGpuBackend;
    // One binding is the output; at least two inputs per group so the fold moves on.
    const fit = Math.max(2, backend.device.limits.maxStorageBuffersPerShaderStage - 1);
    if (inputs.length <= fit) return original.kernelFunc(args) as TensorInfo;
    let sum = original.kernelFunc({ ...args, inputs: inputs.slice(0, fit) as never }) as TensorInfo;
    for (let i = fit; i < inputs.length; i += fit - 1) {
      const next = original.kernelFunc({ ...args, inputs: [sum, ...inputs.slice(i, i + fit - 1)] as never }) as TensorInfo;
      backend.disposeData(sum.dataId);
      sum = next;
    }
    return sum;
  };
  tf.unregisterKernel('AddN', 'webgpu');
  const config: KernelConfig = { kernelName: 'AddN', backendName: 'webgpu', kernelFunc: kernelFunc as unknown as KernelFunc };
  tf.registerKernel(config);
  installed = true;
  return true;
}
