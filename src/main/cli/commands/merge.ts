// `loralab merge --base DIR --adapter DIR[,DIR…] [--weights w,…] --out DIR
//   [--dtype float32|float16|bfloat16] [--max-shard-size 5GB] [--unmerge] [--no-verify]
//   [--qlora-base dequantized|original] [--json]`
// A merge job in an engine process (the Merge wizard's path): one adapter, or a
// weighted combination of several (--unmerge subtracts), streamed tensor by
// tensor into --out, verified against base + adapter, and recorded in the registry.
import type { MergeResultData } from '../../../shared/ipc/job-schemas';
import { DEFAULT_MERGE_DTYPE, MERGE_DTYPE_NAMES, qloraBaseSchema } from '../../../shared/ipc/job-schemas';
import { createServices } from '../../services/index';
import { flag, str, UsageError, type Parsed } from '../args';
import { followJob } from '../follow-job';

export async function merge(args: Parsed): Promise<number> {
  const base = str(args, 'base');
  const adapterList = str(args, 'adapter');
  const out = str(args, 'out');
  if (!base || !adapterList || !out) throw new UsageError('merge needs --base <model-dir> --adapter <adapter-dir>[,<adapter-dir>…] --out <dir>');
  const dirs = adapterList.split(',');
  const weightsText = str(args, 'weights');
  const weights = weightsText ? weightsText.split(',').map(Number) : dirs.map(() => 1);
  if (weights.length !== dirs.length || weights.some((w) => !Number.isFinite(w))) {
    throw new UsageError(`--weights needs one number per adapter (${dirs.length}), got ${weightsText}`);
  }
  const sign = flag(args, 'unmerge') ? -1 : 1;
  const dtype = str(args, 'dtype') ?? DEFAULT_MERGE_DTYPE;
  if (!(MERGE_DTYPE_NAMES as readonly string[]).includes(dtype)) throw new UsageError(`--dtype must be float32, float16 or bfloat16, got ${dtype}`);
  const qloraText = str(args, 'qlora-base');
  const qloraBase = qloraText === undefined ? undefined : qloraBaseSchema.safeParse(qloraText).data;
  if (qloraText !== undefined && !qloraBase) throw new UsageError(`--qlora-base must be dequantized or original, got ${qloraText}`);
  if (qloraBase && flag(args, 'no-verify')) throw new UsageError('--qlora-base measures the merged model against the quantized one; it cannot be combined with --no-verify');

  const services = createServices({ registryPath: str(args, 'registry'), backend: str(args, 'backend') });
  try {
    const { jobId } = services.jobs.merge({
      base,
      adapters: dirs.map((path, i) => ({ path, weight: sign * weights[i]! })),
      out,
      dtype: dtype as (typeof MERGE_DTYPE_NAMES)[number],
      maxShardSize: str(args, 'max-shard-size'),
      verify: !flag(args, 'no-verify'),
      qloraBase,
    });
    const result = (await followJob(services.hub, services.jobs, jobId)) as MergeResultData;
    process.stderr.write(
      `merged ${result.adaptedModules.length} modules into ${result.out} (${result.shards} shard(s), ${(result.bytes / 1e6).toFixed(1)} MB, ${dtype}) in ${result.seconds.toFixed(1)} s\n`,
    );
    if (result.verify) {
      process.stderr.write(`verified: largest |logit difference| between merged and base + adapter = ${result.verify.maxAbsLogitDiff.toExponential(3)} over ${result.verify.tokens} tokens\n`);
    } else process.stderr.write(`not verified: ${result.verifySkipped}\n`);
    if (result.qlora) {
      const q = result.qlora;
      process.stderr.write(
        `QLoRA merge into the ${q.qlora_base} base: largest |logit error| against the NF4 base + adapter = ${q.max_abs_logit_error.toExponential(3)} ` +
          `(mean ${q.mean_abs_logit_error.toExponential(3)}, ${(100 * q.relative_logit_error).toFixed(4)}% of the largest logit), written to qlora_merge.json\n`,
      );
    }
    if (flag(args, 'json')) process.stdout.write(JSON.stringify(result) + '\n');
    else process.stdout.write(`${result.out}\n`);
    return 0;
  } finally {
    await services.close();
  }
}
