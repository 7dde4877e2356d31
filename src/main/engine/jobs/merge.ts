// The merge job: W' = W + Σ wᵢ·ΔWᵢ streamed into a new model folder, then (when
// asked, and when LoRA Lab has a forward pass for the architecture) verified by
// running base + adapters and the merged model on the same sequences.
import { readModelConfigJson } from '../models/config-json';
import { findArchitecture } from '../models/index';
import { selectBackend } from '../backend';
import { checkModelFitsAdapter } from '../backends/webgpu-limits';
import { mergeModel } from '../merge/merge';
import { verifyMerge, type VerifyResult } from '../merge/verify';
import { measureQloraMerge, type QloraMergeReport } from '../quant/qlora-merge';
import type { EngineMergeResult, MergeJob } from '../protocol';
import type { JobContext } from './context';

export async function mergeJob(job: MergeJob, ctx: JobContext): Promise<EngineMergeResult> {
  const { jobId } = job;
  const progress = (fraction: number | null, message: string) => ctx.send({ type: 'job-progress', jobId, kind: 'merge', fraction, message });
  // Verification is the costly second half when it runs; the tensor loop is the first.
  const modelType = readModelConfigJson(job.base).raw.model_type;
  const canVerify = job.verify && typeof modelType === 'string' && findArchitecture(modelType)?.build !== undefined;
  const share = canVerify ? 0.7 : 1;
  let lastSent = 0;
  const result = await mergeModel({
    base: job.base,
    adapters: job.adapters,
    out: job.out,
    dtype: job.dtype,
    maxShardBytes: job.maxShardBytes,
    qlora: job.qlora ?? null,
    onProgress: (done, total) => {
      // The parent went away (or asked to stop): abandon the folder being written, leave nothing at `out`.
      if (ctx.shouldStop()) throw new Error('the merge was cancelled');
      // Messages are cheap but not free: at most one every 100 ms, and the last one.
      if (done < total && Date.now() - lastSent < 100) return;
      lastSent = Date.now();
      progress((share * done) / total, `merged ${done}/${total} tensors`);
    },
  });
  let verify: VerifyResult | null = null;
  let verifySkipped: string | null = null;
  let qlora: QloraMergeReport | null = null;
  if (!job.verify) verifySkipped = 'not asked for';
  else if (!canVerify) verifySkipped = `LoRA Lab has no forward pass for model_type ${JSON.stringify(modelType)} yet`;
  else {
    progress(share, 'verifying: base + adapter vs the merged model');
    const { tf, webgpu } = await selectBackend({ prefer: job.backend });
    // The verification runs base and merged model on webgpu too: both must fit the adapter's buffer limits.
    checkModelFitsAdapter(webgpu, job.base);
    verify = await verifyMerge(tf, job.base, job.adapters, result.out);
    // A QLoRA merge is also measured against what was trained: the NF4 base with the adapter unmerged.
    if (job.qlora) qlora = await measureQloraMerge(tf, job.base, job.adapters, result.out, job.qlora, job.dtype);
  }
  progress(1, 'done');
  return { ...result, dtype: job.dtype, verify, verifySkipped, qlora };
}
