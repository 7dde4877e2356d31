// The engine process entry (built to dist/engine.cjs). The run supervisor forks it
// and sends one RunJob; it trains, writes metrics, checkpoints, the adapter and
// the final status to the registry itself (so nothing is lost if the parent goes
// away) and streams progress to the parent. A stop request or SIGTERM ends it
// after the current step, with a checkpoint to resume from.
//
// Run by hand: node dist/engine.cjs  (then send a RunJob over the IPC channel)
import { runConfigSchema, type RunConfig } from '../../shared/config/run-config';
import { openRegistry, type Registry } from '../registry/index';
import { selectBackend, type Tf } from './backend';
import { MetricsWriter } from './metrics-writer';
import type { FromEngine, RunJob, ToEngine } from './protocol';
import { trainBuiltin } from './toy/train-builtin';
import { runTraining } from './train/trainer';

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

interface StepReport {
  step: number;
  loss: number;
  tokensPerSecond: number | null;
  etaSeconds: number | null;
  extra?: Record<string, number>;
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
    const report = async ({ step, loss, tokensPerSecond, etaSeconds, extra }: StepReport) => {
      // A non-finite loss ends the run as failed; it is never written as a metric.
      if (!Number.isFinite(loss)) throw new Error(`loss became ${loss} at step ${step}`);
      const wallTime = Date.now();
      writer.add({ step, name: 'loss', value: loss, wallTime });
      for (const [name, value] of Object.entries(extra ?? {})) writer.add({ step, name, value, wallTime });
      send({ type: 'progress', runId: job.runId, step, totalSteps: config.train.steps, loss, tokensPerSecond, etaSeconds });
      await yieldToEventLoop();
    };
    let status: 'completed' | 'stopped';
    try {
      status = config.model.startsWith('builtin:')
        ? await runBuiltin(config, selection.tf, report)
        : await runReal(config, selection.tf, job, registry, writer, report);
    } finally {
      writer.flush();
    }
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

async function runBuiltin(config: RunConfig, tf: Tf, report: (r: StepReport) => Promise<void>): Promise<'completed' | 'stopped'> {
  const started = Date.now();
  return trainBuiltin(config, tf, {
    shouldStop: () => stopRequested,
    onStep: ({ step, loss, tokens }) => {
      const seconds = (Date.now() - started) / 1000;
      return report({
        step,
        loss,
        tokensPerSecond: seconds > 0 ? tokens / seconds : null,
        etaSeconds: (seconds / step) * (config.train.steps - step),
      });
    },
  });
}

async function runReal(
  config: RunConfig,
  tf: Tf,
  job: RunJob,
  registry: Registry,
  writer: MetricsWriter,
  report: (r: StepReport) => Promise<void>,
): Promise<'completed' | 'stopped'> {
  const outcome = await runTraining(
    tf,
    { config, outputDir: job.runDir, resumeFrom: job.resumeFrom, initFrom: job.initFrom },
    {
      shouldStop: () => stopRequested,
      onStep: (s) => report({ ...s, extra: { lr: s.lr, grad_norm: s.gradNorm, tokens_per_second: s.tokensPerSecond } }),
      onEval: (step, r) => {
        const wallTime = Date.now();
        writer.add({ step, name: 'eval_loss', value: r.loss, wallTime });
        writer.add({ step, name: 'eval_perplexity', value: r.perplexity, wallTime });
        writer.flush();
      },
      onCheckpoint: (step, dir) => {
        // Metrics up to the checkpoint are committed first: a resume from it then
        // re-logs only the steps after it.
        writer.flush();
        registry.checkpoints.add({ runId: job.runId, step, path: dir });
      },
    },
  );
  const kind = config.method === 'full' ? 'model' : 'adapter';
  registry.artifacts.add({ runId: job.runId, kind, path: outcome.resultDir, meta: { step: outcome.step } });
  return outcome.status;
}
