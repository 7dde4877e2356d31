// The preview job: an engine that answers preview-request messages one after
// another until none has come for idleMs, or the parent stops it or goes away.
// Requests wait in order; each answer carries its request id.
import { LoraLabError } from '../../../shared/ipc/result';
import type { PreviewJob, PreviewRequest } from '../protocol';
import type { JobContext } from './context';
import { previewData } from './preview';

export function servePreviews(context: JobContext): { request(msg: PreviewRequest): void; serve(job: PreviewJob): Promise<number> } {
  const queue: PreviewRequest[] = [];
  let wake: (() => void) | null = null;
  return {
    request(msg) {
      queue.push(msg);
      wake?.();
    },
    async serve(job) {
      let lastAnswer = Date.now();
      for (;;) {
        const msg = queue.shift();
        if (msg) {
          await answer(msg, context);
          lastAnswer = Date.now();
          continue;
        }
        if (context.shouldStop() || Date.now() - lastAnswer >= job.idleMs) return 0;
        // Sleep until a request arrives, the idle time is up, or a stop is checked again (every second).
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(1000, Math.max(1, job.idleMs - (Date.now() - lastAnswer))));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    },
  };
}

async function answer(msg: PreviewRequest, context: JobContext): Promise<void> {
  try {
    const preview = await previewData(msg.request);
    context.send({ type: 'preview-result', requestId: msg.requestId, preview, error: null });
  } catch (err) {
    const known = err instanceof LoraLabError && (err.code === 'VALIDATION' || err.code === 'NOT_FOUND');
    const error = known
      ? { code: err.code as 'VALIDATION' | 'NOT_FOUND', message: err.message, ...(err.issues ? { issues: err.issues } : {}) }
      : { code: 'INTERNAL' as const, message: `data.preview failed: ${err instanceof Error ? err.message : String(err)}` };
    context.send({ type: 'preview-result', requestId: msg.requestId, preview: null, error });
  }
}
