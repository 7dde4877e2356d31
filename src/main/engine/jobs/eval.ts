// The eval job: mean next-token cross-entropy over every predicted token of a
// JSON Lines file (each line one sequence), and its perplexity; with
// exactMatch, also greedy answers to the file's first chat rows, judged exactly.
import type { EvalResultData } from '../../../shared/ipc/job-schemas';
import { readExamples } from '../data/jsonl';
import { evaluate } from '../infer/evaluate';
import { exactMatch } from '../infer/exact-match';
import { openModelSession } from '../infer/session';
import { describeNonFiniteWeight, findNonFiniteWeight } from '../models/finite-weights';
import type { EvalJob } from '../protocol';
import type { JobContext } from './context';

export async function evalJob(job: EvalJob, ctx: JobContext): Promise<EvalResultData> {
  const { request: req, jobId } = job;
  ctx.send({ type: 'job-progress', jobId, kind: 'eval', fraction: null, message: `loading ${req.model}` });
  const session = await openModelSession({ ...req, backend: job.backend });
  try {
    ctx.send({ type: 'job-progress', jobId, kind: 'eval', fraction: 0, message: session.description });
    const examples = readExamples(req.data, session.tokenizer, session.loaded.spec.maxPositions, session.loaded.spec.vocab);
    const result = await evaluate(session.loaded.model, examples, {
      batchSize: req.batchSize,
      shouldStop: ctx.shouldStop,
      yieldToEventLoop: ctx.yieldToEventLoop,
      onProgress: (done, total) => ctx.send({ type: 'job-progress', jobId, kind: 'eval', fraction: done / total, message: `evaluated ${done}/${total} sequences` }),
    });
    // A non-finite loss is an answer to nothing: say which weights hold the NaN (the
    // adapter's values were checked when it was attached), never report loss null.
    if (!Number.isFinite(result.loss)) {
      const broken = findNonFiniteWeight(req.model);
      throw new Error(`the eval loss is ${result.loss}: ${broken ? describeNonFiniteWeight(broken) : 'the forward pass overflowed (the weights are finite)'}`);
    }
    if (!req.exactMatch) return result;
    if (!session.tokenizer) throw new Error(`${req.model} has no tokenizer.json, so exact-match prompts cannot be encoded`);
    const matched = await exactMatch(session.loaded.model, session.tokenizer, req.data, {
      ...req.exactMatch,
      shouldStop: ctx.shouldStop,
      yieldToEventLoop: ctx.yieldToEventLoop,
      onProgress: (done, total) => ctx.send({ type: 'job-progress', jobId, kind: 'eval', fraction: done / total, message: `answered ${done}/${total} prompts` }),
    });
    return { ...result, exactMatch: matched };
  } finally {
    session.close();
  }
}
