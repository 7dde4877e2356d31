// WebGPU reports a failed shader compile, an invalid bind group or an
// out-of-memory buffer not to the call that caused it but as an
// 'uncapturederror' event on the device (https://gpuweb.github.io/gpuweb/#eventdef-gpudevice-uncapturederror);
// tfjs-backend-webgpu 4.22.0 listens for none, so the command buffer is dropped
// and the op's output keeps whatever its (possibly recycled) buffer held — a
// training run would go on with zeros or stale values and no error anywhere.
// Measured here: an AddN past the storage-buffer limit returned [0, 0, 0], and a
// shader with a type error left a pooled buffer's old contents in its output.
//
// This guard keeps the device's first such error and fails every later read
// back to the host with it (each step reads its loss, so a run stops at the step
// that went wrong), naming the WebGPU message. The device is not trusted again
// in the process: the engine is one process per job, and the next job starts clean.
import type { Tf } from '../backend';

interface GpuErrorEvent {
  error?: { message?: string; constructor?: { name?: string } };
}

interface GuardedBackend {
  device: { addEventListener(type: 'uncapturederror', listener: (event: GpuErrorEvent) => void): void };
  read(dataId: object): Promise<unknown>;
}

export class WebGpuDeviceError extends Error {
  override readonly name = 'WebGpuDeviceError';
}

let firstError: string | null = null;
let guarded = false;

/** The first uncaptured error of the webgpu device, or null. */
export function webGpuDeviceError(): string | null {
  return firstError;
}

/** Installs the guard on tf's webgpu backend (once); false where there is none. */
export function guardWebGpuReads(tf: Tf): boolean {
  if (guarded) return true;
  const backend = tf.findBackend('webgpu') as unknown as GuardedBackend | undefined;
  if (!backend?.device?.addEventListener) return false;
  backend.device.addEventListener('uncapturederror', (event) => {
    if (firstError !== null) return;
    const kind = event.error?.constructor?.name ?? 'GPUError';
    const message = (event.error?.message ?? String(event.error)).split('\n', 1)[0]!.trim();
    firstError = `${kind}: ${message}`;
  });
  const read = backend.read.bind(backend);
  backend.read = async (dataId) => {
    const values = await read(dataId);
    if (firstError !== null) {
      throw new WebGpuDeviceError(`the WebGPU device reported an error, so results computed since are not trustworthy: ${firstError}`);
    }
    return values;
  };
  guarded = true;
  return true;
}
