// The engine process entry (built to dist/engine.cjs). Main forks it and sends
// one job (protocol.ts): train a run, merge, generate, eval, the doctor's
// backend report, or serving data previews until idle. A training run writes
// metrics, checkpoints, the adapter and the final status to the registry itself
// (so nothing is lost if the parent goes away); every job streams progress to
// the parent. A stop request or SIGTERM ends it after the current step (or
// token), with a checkpoint to resume from when training.
//
// Run by hand: node dist/engine.cjs  (then send a job over the IPC channel)
import { setPriority } from 'node:os';
import { doctorJob } from './jobs/doctor';
import { evalJob } from './jobs/eval';
import type { JobContext } from './jobs/context';
import { generateJob } from './jobs/generate';
import { mergeJob } from './jobs/merge';
import { servePreviews } from './jobs/preview-server';
import { trainJob } from './jobs/train';
import { parseMessage, toEngineSchema, type EngineJob, type FromEngine } from './protocol';

// An engine is batch work: it runs at a lower scheduling priority (nice 10) so the
// processes a person is waiting on — the app, `loralab ui`, a terminal — get the
// CPU first when they wake up. Set before any worker thread starts (threads
// inherit it). Refused on some systems; the engine then runs at normal priority.
try {
  setPriority(10);
} catch {
  // no permission to change it: run as is
}

let stopRequested = false;
let busy = false;
/** Resolves when the last message sent has been handed to the channel (process.exit would drop it otherwise). */
let lastSend: Promise<void> = Promise.resolve();
// The parent may die at any moment (SIGKILL, a closed terminal). Sending to it then
// fails with EPIPE or ERR_IPC_CHANNEL_CLOSED: with a callback the failure comes to
// the callback instead of an 'error' event (which, unhandled, would kill the engine
// before it checkpoints and records the stop), and a synchronous throw is caught.
const send = (msg: FromEngine): void => {
  if (!process.connected || !process.send) return;
  lastSend = new Promise((resolve) => {
    try {
      process.send!(msg, undefined, {}, () => resolve());
    } catch {
      resolve();
    }
  });
};

// stderr is a pipe to the supervisor: once it is gone, a write fails with EPIPE.
// Losing that output is fine; dying of it is not.
process.stderr.on('error', () => undefined);
process.stdout.on('error', () => undefined);

// Every way a user or the system asks a run to end — a stop request, SIGTERM, a
// closed terminal (SIGHUP), Ctrl-C (SIGINT reaches the whole foreground process
// group, the engine too) — ends it after the current step, with a checkpoint.
const requestStop = () => (stopRequested = true);
for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(signal, requestStop);
// The supervisor is gone (the CLI was interrupted, the app quit): stop cleanly.
process.on('disconnect', requestStop);
process.on('message', (raw: unknown) => {
  const msg = parseMessage(toEngineSchema, raw, 'the parent');
  if (!msg) return;
  if (msg.type === 'stop') stopRequested = true;
  else if (msg.type === 'preview-request') previews.request(msg);
  else if (busy) process.stderr.write(`engine: refused a second job (${msg.type}); one engine process runs one job\n`);
  else {
    busy = true;
    void runJob(msg).then(async (code) => {
      await Promise.race([lastSend, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      process.exit(code);
    });
  }
});

// tfjs kernels run synchronously, so a training loop never lets IPC messages
// (a stop request) or signals in unless it yields a macrotask now and then.
let lastYield = Date.now();
async function yieldToEventLoop(): Promise<void> {
  if (Date.now() - lastYield < 50) return;
  await new Promise((resolve) => setImmediate(resolve));
  lastYield = Date.now();
}

// A parent that dies (SIGKILL) is seen at once through getppid(): the process is
// re-parented. Synchronous loops (a merge's tensor loop) cannot wait for the
// 'disconnect' event, so they ask this on every tensor.
const parentPid = process.ppid;
const context: JobContext = { send, shouldStop: () => stopRequested || process.ppid !== parentPid, yieldToEventLoop };

const previews = servePreviews(context);

async function runJob(job: EngineJob): Promise<number> {
  if (job.type === 'run') return trainJob(job, context);
  if (job.type === 'preview') return previews.serve(job);
  if (job.type === 'doctor') {
    send({ type: 'doctor', report: await doctorJob(job) });
    return 0;
  }
  const { jobId, type: kind } = job;
  try {
    const result = kind === 'merge' ? await mergeJob(job, context) : kind === 'generate' ? await generateJob(job, context) : await evalJob(job, context);
    send({ type: 'job-done', jobId, kind, ok: true, result, error: null });
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    send({ type: 'job-done', jobId, kind, ok: false, result: null, error: message });
    process.stderr.write(`engine: ${kind} job ${jobId} failed: ${message}\n`);
    return 1;
  }
}
