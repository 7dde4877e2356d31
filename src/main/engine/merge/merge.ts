// Merge & export: W' = W + Σ wᵢ·ΔWᵢ for every adapted module, every other tensor
// copied unchanged, written as a Hugging Face model folder in float32, float16 or
// bfloat16 (round-to-nearest-even), sharded with an index past a maximum shard
// size. Streaming: one tensor is in memory at a time, so peak memory follows the
// largest tensor, not the model. The folder is built beside the destination and
// renamed into place when complete, so an interrupted merge leaves nothing there.
// A QLoRA adapter may instead be merged into the dequantized NF4 base (quant/qlora-merge.ts).
import { join } from 'node:path';
import { writeDirAtomically } from '../io/atomic-dir';
import { writeJsonFile } from '../io/json-file';
import {
  DTYPE_BITS,
  FLOAT_DTYPES,
  openCheckpoint,
  planShards,
  SafetensorsWriter,
  writeIndex,
  type Dtype,
  type WritableDtype,
} from '../io/safetensors/index';
import { readModelConfigJson } from '../models/config-json';
import { findArchitecture, genericKindOf } from '../models/index';
import { copySideFiles } from '../models/save-model';
import { dequantizedLike, isQuantizedTensor, type QloraMergeOptions } from '../quant/qlora-merge';
import { validateAdapters, type BaseWeight } from './adapter-check';
import { AdapterDeltas, type AdapterInput } from './deltas';

export const MERGE_DTYPES = { float32: 'F32', float16: 'F16', bfloat16: 'BF16' } as const;
export type MergeDtype = keyof typeof MERGE_DTYPES;

export interface MergeOptions {
  base: string;
  adapters: readonly AdapterInput[];
  out: string;
  dtype: MergeDtype;
  /** Bytes per shard before a new one starts (Hugging Face's default is 5 GB). */
  maxShardBytes?: number;
  /** A QLoRA adapter: merge into the dequantized NF4 base or the original weights (null: an ordinary merge). */
  qlora?: QloraMergeOptions | null;
  onProgress?: (done: number, total: number, tensor: string) => void;
}

export interface MergeResult {
  out: string;
  tensors: number;
  adaptedModules: string[];
  shards: number;
  bytes: number;
  seconds: number;
}

/** A plain loop: Array.prototype.every with a callback costs as much as reading the tensor. */
function allFinite(data: Float32Array): boolean {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return false;
  return true;
}

export class MergeError extends Error {
  override readonly name = 'MergeError';
}

export async function mergeModel(opts: MergeOptions): Promise<MergeResult> {
  const started = Date.now();
  const configRaw = readModelConfigJson(opts.base).raw;
  const arch = typeof configRaw.model_type === 'string' ? findArchitecture(configRaw.model_type) : undefined;
  const modulePath = (name: string) => (arch ? arch.modulePath(name) : name).replace(/\.weight$/, '');
  const kindOf = (name: string, shape: readonly number[]) => (arch ? arch.kindOf(name, shape) : genericKindOf(name, shape));
  const target = MERGE_DTYPES[opts.dtype];

  const ckpt = openCheckpoint(opts.base);
  try {
    // Every adapter is checked completely — config against tensors, dtypes, finite
    // values, modules and shapes against the base — before anything is written.
    const modules = new Map<string, BaseWeight>();
    for (const [name, info] of ckpt.tensors) {
      if (info.shape.length === 2 && name.endsWith('.weight')) modules.set(modulePath(name), { name, shape: info.shape, conv1d: kindOf(name, info.shape) === 'conv1d' });
    }
    validateAdapters(opts.adapters, modules);
    const deltas = new AdapterDeltas(opts.adapters);
    const missing = deltas.modules().filter((m) => !modules.has(m));
    if (missing.length) throw new MergeError(`the adapter changes modules the base model does not have: ${missing.slice(0, 5).join(', ')}`);

    const outDtype = (d: Dtype): Dtype => ((FLOAT_DTYPES as readonly string[]).includes(d) ? target : d);
    const specs = [...ckpt.tensors.values()].map((t) => ({ name: t.name, dtype: outDtype(t.dtype), shape: t.shape }));
    const bytesOf = (s: (typeof specs)[number]) => (s.shape.reduce((a, b) => a * b, 1) * DTYPE_BITS[s.dtype]) / 8;
    const plan = planShards(
      specs.map((s) => ({ name: s.name, bytes: bytesOf(s) })),
      opts.maxShardBytes,
    );
    const byName = new Map(specs.map((s) => [s.name, s]));
    const adapted: string[] = [];
    let done = 0;

    await writeDirAtomically(opts.out, (dir) => {
      for (const shard of plan.shards) {
        const writer = new SafetensorsWriter(
          join(dir, shard.file),
          shard.names.map((n) => ({ ...byName.get(n)!, dtype: byName.get(n)!.dtype as WritableDtype })),
          { format: 'pt' },
        );
        try {
          for (const name of shard.names) {
            const info = ckpt.tensors.get(name)!;
            if (byName.get(name)!.dtype === target) {
              let data = ckpt.readFloat32(name);
              const module = modulePath(name);
              const kind = kindOf(name, info.shape);
              if (opts.qlora?.base === 'dequantized' && info.shape.length === 2 && isQuantizedTensor(kind, module)) {
                data = dequantizedLike(data, info.shape, kind === 'conv1d', opts.qlora.quant);
              }
              if (info.shape.length === 2 && deltas.applyTo(module, data, info.shape, kindOf(name, info.shape) === 'conv1d')) {
                // PEFT's safe_merge: refuse to write a weight the merge made non-finite.
                if (!allFinite(data)) throw new MergeError(`merging into "${name}" produced NaN or infinite values`);
                adapted.push(module);
              }
              writer.write(name, data);
            } else {
              writer.write(name, ckpt.read(name) as never);
            }
            opts.onProgress?.(++done, specs.length, name);
          }
          writer.finish();
        } catch (err) {
          writer.abort();
          throw err;
        }
      }
      if (plan.weightMap) writeIndex(dir, plan.weightMap, plan.totalSize);
      writeJsonFile(join(dir, 'config.json'), { ...configRaw, torch_dtype: opts.dtype });
      copySideFiles(opts.base, dir);
    });
    return { out: opts.out, tensors: specs.length, adaptedModules: adapted, shards: plan.shards.length, bytes: plan.totalSize, seconds: (Date.now() - started) / 1000 };
  } finally {
    ckpt.close();
  }
}
