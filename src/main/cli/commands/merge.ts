// `loralab merge --base DIR --adapter DIR[,DIR…] [--weights w,…] --out DIR
//   [--dtype float32|float16|bfloat16] [--max-shard-size 5GB] [--unmerge] [--no-verify] [--json]`
// Merges one adapter (or a weighted combination of several; --unmerge subtracts)
// into the base model, streaming tensor by tensor, then verifies the result
// against base + adapter and records it in the registry.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { selectBackend } from '../../engine/backend';
import { MERGE_DTYPES, mergeModel, type MergeDtype } from '../../engine/merge/merge';
import { verifyMerge, type VerifyResult } from '../../engine/merge/verify';
import { findArchitecture } from '../../engine/models/index';
import { defaultRegistryPath, openRegistry } from '../../registry/index';
import { flag, str, UsageError, type Parsed } from '../args';

export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)?$/i.exec(text.trim());
  if (!m) throw new UsageError(`--max-shard-size must look like 5GB, 500MB or a byte count, got ${text}`);
  const unit = (m[2] ?? 'B').toUpperCase();
  const scale: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30 };
  return Math.round(Number(m[1]) * scale[unit]!);
}

export async function merge(args: Parsed): Promise<number> {
  const base = str(args, 'base');
  const adapterList = str(args, 'adapter');
  const out = str(args, 'out');
  if (!base || !adapterList || !out) throw new UsageError('merge needs --base <model-dir> --adapter <adapter-dir>[,<adapter-dir>…] --out <dir>');
  const dirs = adapterList.split(',').map((d) => resolve(d));
  const weightsText = str(args, 'weights');
  const weights = weightsText ? weightsText.split(',').map(Number) : dirs.map(() => 1);
  if (weights.length !== dirs.length || weights.some((w) => !Number.isFinite(w))) {
    throw new UsageError(`--weights needs one number per adapter (${dirs.length}), got ${weightsText}`);
  }
  const sign = flag(args, 'unmerge') ? -1 : 1;
  const adapters = dirs.map((dir, i) => ({ dir, weight: sign * weights[i]! }));
  const dtype = (str(args, 'dtype') ?? 'float32') as MergeDtype;
  if (!(dtype in MERGE_DTYPES)) throw new UsageError(`--dtype must be float32, float16 or bfloat16, got ${dtype}`);
  const shard = str(args, 'max-shard-size');

  const result = await mergeModel({
    base: resolve(base),
    adapters,
    out: resolve(out),
    dtype,
    maxShardBytes: shard ? parseSize(shard) : undefined,
    onProgress: (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\rmerging ${done}/${total} tensors\x1b[K`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  process.stderr.write(`merged ${result.adaptedModules.length} modules into ${result.out} (${result.shards} shard(s), ${(result.bytes / 1e6).toFixed(1)} MB, ${dtype}) in ${result.seconds.toFixed(1)} s\n`);

  // Verification runs the forward pass, which exists for the Llama family and GPT-2.
  let verify: VerifyResult | null = null;
  const modelType = (JSON.parse(readFileSync(join(resolve(base), 'config.json'), 'utf8')) as { model_type?: unknown }).model_type;
  const arch = typeof modelType === 'string' ? findArchitecture(modelType) : undefined;
  if (!flag(args, 'no-verify') && arch?.build) {
    const { tf } = await selectBackend({ prefer: str(args, 'backend') });
    verify = verifyMerge(tf, resolve(base), adapters, result.out);
    process.stderr.write(`verified: largest |logit difference| between merged and base + adapter = ${verify.maxAbsLogitDiff.toExponential(3)} over ${verify.tokens} tokens\n`);
  } else if (!flag(args, 'no-verify')) {
    process.stderr.write('not verified: LoRA Lab has no forward pass for this architecture yet\n');
  }

  const registry = openRegistry(str(args, 'registry') ?? defaultRegistryPath());
  try {
    const runId = registry.artifacts.findByPath(dirs[0]!)?.runId ?? null;
    registry.artifacts.add({
      runId,
      kind: sign < 0 ? 'unmerged-model' : 'merged-model',
      path: result.out,
      meta: { base: resolve(base), adapters, dtype, shards: result.shards, bytes: result.bytes, verify },
    });
  } finally {
    registry.close();
  }
  const summary = { ...result, dtype, verify };
  if (flag(args, 'json')) process.stdout.write(JSON.stringify(summary) + '\n');
  else process.stdout.write(`${result.out}\n`);
  return 0;
}
