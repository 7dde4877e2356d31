// The engine process entry (built to dist/engine.cjs). The run supervisor forks it
// and sends one RunJob; it trains, writes metrics and the final status to the
// registry itself (so nothing is lost if the parent goes away) and streams
// progress to the parent. A stop request or SIGTERM ends it after the current step.
//
// Run by hand: node dist/engine.cjs  (then send {type:'run', runId, registryPath} over IPC)
import { runConfigSchema } from '../../shared/config/run-config';
import { openRegistry, type Registry } from '../registry/index';
import { selectBackend } from './backend';
import { MetricsWriter } from './metrics-writer';
import type { FromEngine, RunJob, ToEngine } from './protocol';
import { trainBuiltin } from './toy/train-builtin';

let stopRequested = false;
const send = (msg: FromEngine): void => {
  if (process.connected) process.send?.(msg);
};

process.on('SIGTERM', () => (stopRequested = true));
// The supervisor is gone (the CLI was interrupted, the app quit): stop cleanly.
process.on('disconnect', () => (stopRequested = true));
process.on('message', (msg: ToEngine) => {
  if (msg.type === 'stop') stopRequested = true;
  else if (msg.type === 'run') void runJob(msg).then((code) => process.exit(code));
});

// tfjs kernels run synchronously, so a training loop never lets IPC messages
// (a stop request) or signals in unless it yields a macrotask now and then.
let lastYield = Date.now();
async function yieldToEventLoop(): Promise<void> {
  if (Date.now() - lastYield < 50) return;
  await new Promise((resolve) => setImmediate(resolve));
  lastYield = Date.now();
}

async function runJob(job: RunJob): Promise<number> {
  let registry: Registry | undefined;
  try {
    registry = openRegistry(job.registryPath);
    const row = registry.runs.get(job.runId);
    if (!row) throw new Error(`run ${job.runId} is not in the registry at ${job.registryPath}`);
    const config = runConfigSchema.parse(row.config);
    registry.runs.markRunning(job.runId, process.pid);

    const selection = await selectBackend({ prefer: job.backend });
    send({ type: 'started', runId: job.runId, backend: selection.backend, pid: process.pid });

    const writer = new MetricsWriter(registry.metrics, job.runId);
    const started = Date.now();
    const outcome = await trainBuiltin(config, selection.tf, {
      shouldStop: () => stopRequested,
      onStep: async ({ step, loss, tokens }) => {
        // A non-finite loss ends the run as failed; it is never written as a metric.
        if (!Number.isFinite(loss)) throw new Error(`loss became ${loss} at step ${step}`);
        writer.add({ step, name: 'loss', value: loss, wallTime: Date.now() });
        const seconds = (Date.now() - started) / 1000;
        const perStep = seconds / step;
        send({
          type: 'progress',
          runId: job.runId,
          step,
          totalSteps: config.train.steps,
          loss,
          tokensPerSecond: seconds > 0 ? tokens / seconds : null,
          etaSeconds: perStep * (config.train.steps - step),
        });
        await yieldToEventLoop();
      },
      onFinally: () => writer.flush(),
    });
    const status = outcome === 'stopped' ? 'stopped' : 'completed';
    registry.runs.finish(job.runId, status);
    send({ type: 'finished', runId: job.runId, status, error: null });
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    try {
      registry?.runs.finish(job.runId, 'failed', message);
    } catch {
      // The registry itself failed; the supervisor will mark the run crashed from the exit code.
    }
    send({ type: 'finished', runId: job.runId, status: 'failed', error: message });
    process.stderr.write(`engine: run ${job.runId} failed: ${message}\n`);
    return 1;
  } finally {
    registry?.close();
  }
}
