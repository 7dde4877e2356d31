// Writes a random Hugging Face Llama model folder (config.json + model.safetensors,
// or model-0000K-of-0000N.safetensors + model.safetensors.index.json past the shard
// limit) for the benchmarks. Tensor names and shapes come from the engine's own
// llama.tensorShapes, so the folder is exactly what loadModel expects. Weights are
// N(0, 0.02), norm weights 1 + N(0, 0.02); every tensor is drawn from its own
// seeded stream (seed + tensor name), so the files depend only on the seed and one
// tensor at a time is in memory, never the whole model.
// Run: npx tsx bench/make-model.ts <out-dir> [--preset llama-17m|llama-250m|llama-wide-head]
//        [--dtype F32|F16|BF16] [--seed N] [--max-shard-mb MB]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { planShards, SafetensorsWriter, writeIndex } from '../src/main/engine/io/safetensors/index';
import { llama } from '../src/main/engine/models/llama';
import { createRng } from '../src/main/engine/train/rng';

export type FloatDtype = 'F32' | 'F16' | 'BF16';

export interface LlamaShape {
  vocab: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  intermediate: number;
  maxPositions?: number;
  tieWordEmbeddings?: boolean;
}

/** The model the forward benchmark runs (the 17M model of the speed goal in BENCHMARKS.md). */
export const LLAMA_17M: LlamaShape = { vocab: 8192, hidden: 384, layers: 6, heads: 6, kvHeads: 6, intermediate: 1024 };

/** ≈ 245M parameters: about 491 MB as float16, for the load-memory benchmark. Untied, so the head is a real tensor. */
export const LLAMA_250M: LlamaShape = { vocab: 32000, hidden: 1024, layers: 14, heads: 16, kvHeads: 16, intermediate: 2816 };

/**
 * ≈ 288M parameters (≈ 576 MB as float16) where two tensors dominate: a 128000-token
 * vocabulary with an untied head, as in Llama-3-style models. The loader's per-tensor
 * copies scale with the largest tensor, so this shape stresses them (load-memory --preset).
 */
export const LLAMA_WIDE_HEAD: LlamaShape = { vocab: 128000, hidden: 1024, layers: 2, heads: 16, kvHeads: 16, intermediate: 2816 };

export const PRESETS: Record<string, LlamaShape> = { 'llama-17m': LLAMA_17M, 'llama-250m': LLAMA_250M, 'llama-wide-head': LLAMA_WIDE_HEAD };

/** config.json as transformers' LlamaConfig.save_pretrained writes it (the keys the loader reads). */
export function llamaConfigJson(s: LlamaShape, dtype: FloatDtype): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    attention_bias: false,
    bos_token_id: 1,
    eos_token_id: 2,
    hidden_act: 'silu',
    hidden_size: s.hidden,
    initializer_range: 0.02,
    intermediate_size: s.intermediate,
    max_position_embeddings: s.maxPositions ?? 2048,
    mlp_bias: false,
    model_type: 'llama',
    num_attention_heads: s.heads,
    num_hidden_layers: s.layers,
    num_key_value_heads: s.kvHeads,
    rms_norm_eps: 1e-6,
    rope_theta: 10000.0,
    tie_word_embeddings: s.tieWordEmbeddings ?? false,
    torch_dtype: { F32: 'float32', F16: 'float16', BF16: 'bfloat16' }[dtype],
    vocab_size: s.vocab,
  };
}

export interface WrittenModel {
  dir: string;
  /** Weight files written, folder-joined, in shard order. */
  files: string[];
  params: number;
  /** Tensor data bytes in the stored dtype (headers excluded). */
  dataBytes: number;
  largest: { name: string; elements: number };
  tensors: number;
}

export interface WriteOptions {
  dtype: FloatDtype;
  seed?: number;
  /** Shard limit in bytes of tensor data; default: one file. */
  maxShardBytes?: number;
}

const BYTES: Record<FloatDtype, number> = { F32: 4, F16: 2, BF16: 2 };

/** Writes config.json and the weights of a random Llama of shape `s` into `dir` (created if needed). */
export function writeRandomLlama(dir: string, s: LlamaShape, opts: WriteOptions): WrittenModel {
  const seed = opts.seed ?? 0;
  const config = llamaConfigJson(s, opts.dtype);
  const spec = llama.parseConfig(config, 'bench config');
  const shapes = llama.tensorShapes(spec).map((t) => ({ ...t, elements: t.shape.reduce((a, b) => a * b, 1) }));
  const byName = new Map(shapes.map((t) => [t.name, t]));
  const plan = planShards(
    shapes.map((t) => ({ name: t.name, bytes: t.elements * BYTES[opts.dtype] })),
    opts.maxShardBytes,
  );

  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  const files: string[] = [];
  for (const shard of plan.shards) {
    const file = path.join(dir, shard.file);
    const specs = shard.names.map((name) => ({ name, dtype: opts.dtype, shape: byName.get(name)!.shape }));
    const writer = new SafetensorsWriter(file, specs);
    try {
      // File order: each write continues where the previous one ended.
      for (const { name } of writer.tensors) {
        const t = byName.get(name)!;
        writer.write(name, randomTensor(t.elements, t.kind === 'norm', seed, name));
      }
      writer.finish();
    } catch (err) {
      writer.abort();
      throw err;
    }
    files.push(file);
  }
  if (plan.weightMap) writeIndex(dir, plan.weightMap, plan.totalSize);

  const largest = shapes.reduce((a, b) => (b.elements > a.elements ? b : a));
  return {
    dir,
    files,
    params: shapes.reduce((n, t) => n + t.elements, 0),
    dataBytes: plan.totalSize,
    largest: { name: largest.name, elements: largest.elements },
    tensors: shapes.length,
  };
}

/** N(0, 0.02) values, or 1 + N(0, 0.02) for a norm weight, from the stream of (seed, name). */
function randomTensor(n: number, isNorm: boolean, seed: number, name: string): Float32Array {
  const next = mulberry32(hashName(name) ^ Math.imul(seed, 0x9e3779b1));
  const out = new Float32Array(n);
  const mean = isNorm ? 1 : 0;
  // Box-Muller: two uniforms in (0, 1] give two independent normals.
  for (let i = 0; i < n; i += 2) {
    const r = 0.02 * Math.sqrt(-2 * Math.log(1 - next()));
    const a = 2 * Math.PI * next();
    out[i] = mean + r * Math.cos(a);
    if (i + 1 < n) out[i + 1] = mean + r * Math.sin(a);
  }
  return out;
}

/** The engine's seeded mulberry32 as a bare function: uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  const rng = createRng(seed >>> 0);
  return () => rng.next();
}

/** FNV-1a over the name's UTF-16 units. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function main(argv: string[]): void {
  const usage = 'usage: npx tsx bench/make-model.ts <out-dir> [--preset llama-17m|llama-250m|llama-wide-head] [--dtype F32|F16|BF16] [--seed N] [--max-shard-mb MB]';
  const args = [...argv];
  const dir = args.shift();
  const flags = new Map<string, string>();
  while (args.length > 0) {
    const key = args.shift()!;
    const value = args.shift();
    if (!key.startsWith('--') || value === undefined) throw new Error(usage);
    flags.set(key.slice(2), value);
  }
  if (!dir) throw new Error(usage);
  const presetName = flags.get('preset') ?? 'llama-17m';
  const preset = PRESETS[presetName];
  if (!preset) throw new Error(`--preset must be one of ${Object.keys(PRESETS).join(', ')}; got '${presetName}'`);
  const dtype = (flags.get('dtype') ?? 'F32').toUpperCase();
  if (!(dtype in BYTES)) throw new Error(`--dtype must be F32, F16 or BF16; got '${dtype}'`);
  const seed = Number(flags.get('seed') ?? 0);
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be an integer; got '${flags.get('seed')}'`);
  const shardMb = flags.has('max-shard-mb') ? Number(flags.get('max-shard-mb')) : undefined;
  if (shardMb !== undefined && !(shardMb > 0)) throw new Error(`--max-shard-mb must be a positive number; got '${flags.get('max-shard-mb')}'`);

  const t0 = performance.now();
  const written = writeRandomLlama(dir, preset, {
    dtype: dtype as FloatDtype,
    seed,
    maxShardBytes: shardMb === undefined ? undefined : Math.floor(shardMb * 1e6),
  });
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `wrote ${written.dir}: ${presetName}, ${written.params} parameters, ${(written.dataBytes / 1e6).toFixed(1)} MB of ${dtype} ` +
      `in ${written.files.length} file(s), ${seconds} s`,
  );
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
