// The eval job: mean next-token cross-entropy over every predicted token of a
// JSON Lines file (each line one sequence), and its perplexity.
import type { EvalResultData } from '../../../shared/ipc/job-schemas';
import { readExamples } from '../data/jsonl';
import { evaluate } from '../infer/evaluate';
import { openModelSession } from '../infer/session';
import type { EvalJob } from '../protocol';
import type { JobContext } from './context';

export async function evalJob(job: EvalJob, ctx: JobContext): Promise<EvalResultData> {
  const { request: req, jobId } = job;
  ctx.send({ type: 'job-progress', jobId, kind: 'eval', fraction: null, message: `loading ${req.model}` });
  const session = await openModelSession({ ...req, backend: job.backend });
  try {
    ctx.send({ type: 'job-progress', jobId, kind: 'eval', fraction: 0, message: session.description });
    const examples = readExamples(req.data, session.tokenizer, session.loaded.spec.maxPositions, session.loaded.spec.vocab);
    return await evaluate(session.loaded.model, examples, {
      batchSize: req.batchSize,
      onProgress: (done, total) => ctx.send({ type: 'job-progress', jobId, kind: 'eval', fraction: done / total, message: `evaluated ${done}/${total} sequences` }),
    });
  } finally {
    session.close();
  }
}
