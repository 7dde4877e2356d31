// The generate job: one prompt through a model (with an adapter, if given),
// streaming each token's text to the parent as soon as it is chosen.
import type { GenerateResultData } from '../../../shared/ipc/job-schemas';
import { generate } from '../infer/generate';
import { encodePrompt } from '../infer/prompt';
import { openModelSession } from '../infer/session';
import type { GenerateJob } from '../protocol';
import type { JobContext } from './context';

export async function generateJob(job: GenerateJob, ctx: JobContext): Promise<GenerateResultData> {
  const { request: req, jobId } = job;
  ctx.send({ type: 'job-progress', jobId, kind: 'generate', fraction: null, message: `loading ${req.model}` });
  const session = await openModelSession({ ...req, backend: job.backend });
  try {
    const tok = session.tokenizer;
    if (!tok) throw new Error(`${req.model} has no tokenizer.json, so a text prompt cannot be encoded`);
    ctx.send({ type: 'job-progress', jobId, kind: 'generate', fraction: 0, message: session.description });
    const prompt = encodePrompt(tok, req.prompt, req.chat);
    const stream = tok.createStreamDecoder({ skipSpecialTokens: true });
    const which = req.which === undefined ? {} : { which: req.which };
    const started = Date.now();
    let cancelled = false;
    const ids = await generate(session.loaded.model, prompt.ids, {
      maxNewTokens: req.maxNewTokens,
      temperature: req.temperature,
      topP: req.topP,
      seed: req.seed,
      stopIds: tok.stopIds,
      shouldStop: () => (cancelled ||= ctx.shouldStop()),
      yieldToEventLoop: ctx.yieldToEventLoop,
      onToken: (id) => {
        const text = stream.push(id);
        if (text !== '') ctx.send({ type: 'job-token', jobId, text, ...which });
      },
    });
    const tail = stream.flush();
    if (tail !== '') ctx.send({ type: 'job-token', jobId, text: tail, ...which });
    const last = ids.at(-1);
    return {
      text: tok.decode(ids, { skipSpecialTokens: true }),
      renderedPrompt: prompt.rendered,
      chatTemplate: prompt.chatTemplate,
      tokens: ids.length,
      promptTokens: prompt.ids.length,
      seconds: (Date.now() - started) / 1000,
      stop: cancelled ? 'cancelled' : last !== undefined && tok.stopIds.includes(last) ? 'eos' : 'max-new-tokens',
    };
  } finally {
    session.close();
  }
}
