// The wasm backend's Identity kernel copies its input, and tfjs uses Identity to
// clone every tensor it saves for the backward pass, so each training step copies
// its activations once more (bench/lora-vs-full measured 416 MB of a 905 MB peak).
// Tensors are immutable in tfjs, so Identity can share the input's buffer and
// count a reference instead, as the cpu backend's own Identity does.
import type { TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from './backend';

interface RefCountingBackend {
  incRef(dataId: unknown): void;
}

let installed = false;

export function installSharingIdentity(tf: Tf): void {
  if (installed) return;
  const original = tf.getKernel('Identity', 'wasm');
  if (!original) return;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs.x as TensorInfo;
      // Strings live outside the wasm heap; keep the original path for them.
      if (x.dtype === 'string') return original.kernelFunc(args);
      (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
  installed = true;
}
