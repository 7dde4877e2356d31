// Whether a model fits the WebGPU adapter's buffer limits, told from the
// checkpoint's headers before anything is uploaded.
//
// tfjs-backend-webgpu keeps each tensor in one GPUBuffer, decoded to float32,
// and binds it as a storage buffer in every shader that reads or writes it. So
// a tensor must fit both GPUSupportedLimits.maxBufferSize (createBuffer) and
// maxStorageBufferBindingSize (the bind group); past either, WebGPU reports a
// validation error on the device and tfjs goes on with an invalid buffer —
// garbage or a lost device minutes into a run, not an error naming the tensor
// (https://gpuweb.github.io/gpuweb/#dom-gpudevice-createbuffer,
// https://gpuweb.github.io/gpuweb/#abstract-opdef-validating-gpubindgroupdescriptor).
// Hence this check, in float32 whatever the file's dtype: a bf16 or NF4 weight
// is dequantized to a float32 matrix on the device before it is multiplied.
// Mesa's llvmpipe gives 128 MiB bindings: a 32,000 × 2,048 embedding (250 MiB) is over.
import type { WebGpuAdapter } from '../../../shared/ipc/schemas';
import { describeAdapter } from '../../../shared/webgpu-adapter';
import { openCheckpoint } from '../io/safetensors/index';
import { readModelConfig } from '../models/load-model';

/** One GPU buffer a run will need, and where it comes from. */
export interface GpuBufferNeed {
  /** The tensor's name: a checkpoint tensor, or 'logits'. */
  tensor: string;
  shape: number[];
  /** As float32. */
  bytes: number;
  /** The file or the config paths that size it. */
  source: string;
}

export class WebGpuLimitError extends Error {
  override readonly name = 'WebGpuLimitError';
  constructor(
    message: string,
    readonly limit: 'maxBufferSize' | 'maxStorageBufferBindingSize',
    readonly need: GpuBufferNeed,
  ) {
    super(message);
  }
}

export interface BufferNeedOptions {
  /** With seqLen: the logits [batch, seq, vocab] of a training or eval step. */
  batchSize?: number;
  seqLen?: number;
  /** The config paths that set batchSize and seqLen, for the message. */
  batchSource?: string;
}

/** The model's GPU buffers from its headers (nothing is read but the headers and config.json). */
export function modelBufferNeeds(dir: string, options: BufferNeedOptions = {}): GpuBufferNeed[] {
  const checkpoint = openCheckpoint(dir);
  const needs: GpuBufferNeed[] = [];
  try {
    for (const [name, info] of checkpoint.tensors) {
      const elements = info.shape.reduce((n, d) => n * d, 1);
      needs.push({ tensor: name, shape: info.shape, bytes: elements * 4, source: info.file });
    }
  } finally {
    checkpoint.close();
  }
  const { batchSize, seqLen } = options;
  if (batchSize && seqLen) {
    const vocab = readModelConfig(dir).spec.vocab;
    needs.push({
      tensor: 'logits',
      shape: [batchSize, seqLen, vocab],
      bytes: batchSize * seqLen * vocab * 4,
      source: options.batchSource ?? 'batch size × sequence length × vocab_size',
    });
  }
  return needs;
}

/** Throws a WebGpuLimitError for the largest buffer over the adapter's limits, naming the limit, the tensor and both sizes. */
export function checkBufferLimits(adapter: WebGpuAdapter, needs: readonly GpuBufferNeed[]): void {
  const { maxBufferSize, maxStorageBufferBindingSize } = adapter.limits;
  const bound = Math.min(maxBufferSize, maxStorageBufferBindingSize);
  const over = needs.filter((n) => n.bytes > bound).sort((a, b) => b.bytes - a.bytes);
  const worst = over[0];
  if (!worst) return;
  // The smaller limit the tensor exceeds is the one to name; both when it exceeds both.
  const limit = worst.bytes > maxBufferSize && maxBufferSize <= maxStorageBufferBindingSize ? 'maxBufferSize' : 'maxStorageBufferBindingSize';
  const others = over.length > 1 ? ` (and ${over.length - 1} more tensor${over.length > 2 ? 's' : ''} over it: ${over.slice(1, 4).map((n) => n.tensor).join(', ')}${over.length > 4 ? ', …' : ''})` : '';
  throw new WebGpuLimitError(
    `${worst.source}: tensor ${worst.tensor} [${worst.shape.join(', ')}] needs a ${mib(worst.bytes)} GPU buffer as float32, ` +
      `more than the WebGPU adapter's ${limit} of ${mib(adapter.limits[limit])}${others}. ` +
      `Adapter: ${describeAdapter(adapter)}. Choose the wasm backend (--backend wasm), a smaller model or batch, or a GPU with larger limits.`,
    limit,
    worst,
  );
}

/** The check every webgpu run makes before it loads the model; a no-op on other backends (adapter null). */
export function checkModelFitsAdapter(adapter: WebGpuAdapter | null, dir: string, options: BufferNeedOptions = {}): void {
  if (adapter) checkBufferLimits(adapter, modelBufferNeeds(dir, options));
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
