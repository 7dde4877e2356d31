// Follows a job (merge, generate, eval) the jobs service started in an engine
// process: its progress messages on stderr (redrawn in place on a terminal),
// streamed text to `onToken`, Ctrl-C to cancel. Resolves with the job's result or
// throws its error.
import type { JobDoneEvent } from '../../shared/ipc/job-schemas';
import type { EventHub } from '../services/event-hub';
import type { JobsService } from '../services/jobs';

export async function followJob(
  hub: EventHub,
  jobs: JobsService,
  jobId: string,
  options: { onToken?: (text: string) => void; quiet?: boolean } = {},
): Promise<NonNullable<JobDoneEvent['result']>> {
  const tty = process.stderr.isTTY;
  let drawn = false;
  const off = hub.subscribe((event, payload) => {
    const p = payload as { jobId: string; text?: string; message?: string; fraction?: number | null };
    if (p.jobId !== jobId) return;
    if (event === 'onGenerateToken') options.onToken?.(p.text ?? '');
    else if (event === 'onJobProgress' && !options.quiet) {
      // Model loading and the one-line description are worth a line each; counters redraw.
      const counter = typeof p.fraction === 'number' && p.fraction > 0 && p.fraction < 1;
      if (counter && !tty) return;
      process.stderr.write(counter ? `\r${p.message}\x1b[K` : `${drawn ? '\n' : ''}${p.message}\n`);
      drawn = counter;
    }
  });
  const onSigint = () => {
    process.stderr.write('\ncancelling\n');
    jobs.cancel(jobId);
  };
  process.on('SIGINT', onSigint);
  try {
    const done = await jobs.wait(jobId);
    if (drawn) process.stderr.write('\n');
    if (!done.ok || done.result === null) throw new Error(done.error ?? `${done.kind} job ${jobId} failed`);
    return done.result;
  } finally {
    process.off('SIGINT', onSigint);
    off();
  }
}
