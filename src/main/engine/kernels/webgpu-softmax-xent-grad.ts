// SoftmaxXentGrad (kernels/softmax-xent-grad.ts) for the webgpu backend as one
// compute shader: each invocation writes one element, probs[r, v]·scale[r],
// less scale[r] where v is the row's label — the wasm and cpu kernels' formula
// (multiply, then subtract at the label), in one pass over [rows, V] with no
// one-hot, where the ops fallback (one-hot, cast, subtract, multiply) makes four
// and holds a [rows, V] int32 one-hot besides. The program follows
// tfjs-backend-webgpu 4.22.0's WebGPUProgram interface (webgpu_program.ts): the
// backend generates the getProbs / getLabels / getScale accessors,
// getCoordsFromIndex and setOutputAtIndex from variableNames and outputShape,
// and the _start entry that calls main with the flat index.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { SOFTMAX_XENT_GRAD } from './softmax-xent-grad';

const WORKGROUP = 128;

interface WebGpuBackend {
  runWebGPUProgram(program: unknown, inputs: TensorInfo[], outputDtype: 'float32'): TensorInfo;
}

function program(rows: number, v: number) {
  const outputShape = [rows, v];
  return {
    variableNames: ['probs', 'labels', 'scale'],
    outputShape,
    shaderKey: 'loralabSoftmaxXentGrad',
    // A flat layout over both dimensions (webgpu_util.flatDispatchLayout / computeDispatch);
    // the backend reshapes a dispatch past maxComputeWorkgroupsPerDimension itself.
    dispatchLayout: { x: [0, 1] },
    dispatch: [Math.ceil((rows * v) / WORKGROUP), 1, 1] as [number, number, number],
    workgroupSize: [WORKGROUP, 1, 1] as [number, number, number],
    size: true,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let coords = getCoordsFromIndex(index);
          let s = getScale(coords[0], 0);
          var g = getProbs(coords[0], coords[1]) * s;
          if (coords[1] == i32(getLabels(coords[0]))) {
            g = g - s;
          }
          setOutputAtIndex(index, g);
        }
      }
    `,
  };
}

let installed = false;

/** Registers SoftmaxXentGrad for webgpu; returns false where the webgpu backend is not registered. */
export function installWebGpuSoftmaxXentGrad(tf: Tf): boolean {
  if (installed) return true;
  if (!tf.findBackendFactory('webgpu')) return false;
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { probs, labels, scale } = args.inputs as { probs: TensorInfo; labels: TensorInfo; scale: TensorInfo };
    const [rows, v] = probs.shape as [number, number];
    return (args.backend as unknown as WebGpuBackend).runWebGPUProgram(program(rows, v), [probs, labels, scale], 'float32');
  };
  const config: KernelConfig = { kernelName: SOFTMAX_XENT_GRAD, backendName: 'webgpu', kernelFunc: kernelFunc as unknown as KernelFunc };
  tf.registerKernel(config);
  installed = true;
  return true;
}
