// Splitting a model into shards and writing the index, the way huggingface_hub's
// split_state_dict_into_shards_factory and transformers' save_pretrained do
// (transformers modeling_utils.py save_pretrained / huggingface_hub split_torch_state_dict_into_shards), so an exported folder looks like one save_pretrained made:
// model.safetensors when it fits in one shard, else model-0000K-of-0000N.safetensors
// plus model.safetensors.index.json.
import { Buffer } from 'node:buffer';
import path from 'node:path';
import { writeFileAtomic } from './atomic';
import { quote, SafetensorsError } from './errors';
import { INDEX_FILE, SINGLE_FILE } from './checkpoint';

/** huggingface_hub's MAX_SHARD_SIZE default: 5 GB, decimal. */
export const DEFAULT_MAX_SHARD_BYTES = 5_000_000_000;

export interface ShardPlan {
  shards: { file: string; names: string[]; bytes: number }[];
  /** Tensor name -> shard file; null for a single shard (no index is written). */
  weightMap: Record<string, string> | null;
  /** Sum of tensor data bytes (headers excluded): the index's metadata.total_size. */
  totalSize: number;
}

/**
 * Assigns tensors to shards greedily in the given order. A tensor larger than
 * the limit gets a shard of its own, placed (as huggingface_hub does) before the
 * shard still being filled; no tensors at all still plan one, empty, model.safetensors.
 */
export function planShards(tensors: readonly { name: string; bytes: number }[], maxShardBytes: number = DEFAULT_MAX_SHARD_BYTES): ShardPlan {
  if (!(Number.isSafeInteger(maxShardBytes) && maxShardBytes > 0)) {
    throw new SafetensorsError('INVALID_TENSOR', `maxShardBytes must be a positive integer, got ${maxShardBytes}`);
  }
  const groups: { names: string[]; bytes: number }[] = [];
  let current: { names: string[]; bytes: number } = { names: [], bytes: 0 };
  let totalSize = 0;
  const seen = new Set<string>();
  for (const { name, bytes } of tensors) {
    if (seen.has(name)) throw new SafetensorsError('INVALID_TENSOR', `tensor ${quote(name)} appears twice in the shard plan`, null, name);
    seen.add(name);
    if (!(Number.isSafeInteger(bytes) && bytes >= 0)) {
      throw new SafetensorsError('INVALID_TENSOR', `tensor ${quote(name)}: bytes must be an integer >= 0, got ${bytes}`, null, name);
    }
    totalSize += bytes;
    if (bytes > maxShardBytes) {
      groups.push({ names: [name], bytes });
      continue;
    }
    if (current.bytes + bytes > maxShardBytes) {
      groups.push(current);
      current = { names: [], bytes: 0 };
    }
    current.names.push(name);
    current.bytes += bytes;
  }
  if (current.names.length > 0 || groups.length === 0) groups.push(current);

  const n = groups.length;
  const shards = groups.map((g, i) => ({ file: n === 1 ? SINGLE_FILE : shardFileName(i + 1, n), ...g }));
  const weightMap = n === 1 ? null : Object.fromEntries(shards.flatMap((s) => s.names.map((name) => [name, s.file])));
  return { shards, weightMap, totalSize };
}

/** `model-00001-of-00003.safetensors` (1-based). */
export function shardFileName(index: number, count: number): string {
  const pad = (k: number): string => String(k).padStart(5, '0');
  return `model-${pad(index)}-of-${pad(count)}.safetensors`;
}

/**
 * Writes model.safetensors.index.json into `dir` (atomically), formatted as
 * transformers writes it: json.dumps(index, indent=2, sort_keys=True) + "\n".
 */
export function writeIndex(dir: string, weightMap: Readonly<Record<string, string>>, totalSize: number): string {
  if (!(Number.isSafeInteger(totalSize) && totalSize >= 0)) {
    throw new SafetensorsError('INVALID_TENSOR', `total_size must be an integer >= 0, got ${totalSize}`, dir);
  }
  const file = path.join(dir, INDEX_FILE);
  // Built as text: an object would move integer-like names ("0") to the front.
  const entries = Object.entries(weightMap).sort(([a], [b]) => compareCodePoints(a, b));
  const body = entries.map(([name, shard]) => `    ${pyString(name)}: ${pyString(shard)}`).join(',\n');
  const text =
    `{\n  "metadata": {\n    "total_size": ${totalSize}\n  },\n` +
    `  "weight_map": ${entries.length === 0 ? '{}' : `{\n${body}\n  }`}\n}`;
  writeFileAtomic(file, Buffer.from(`${text}\n`, 'utf8'));
  return file;
}

/** A JSON string as Python's json.dumps writes it: ensure_ascii escapes everything outside ' '..'~'. */
function pyString(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Python's str ordering (by code point); JS's default sort compares UTF-16 units. */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
