// The train job: one run of the registry, trained to the end (or until stopped),
// with metrics, checkpoints, the adapter and the final status written to the
// registry by the engine itself, so nothing is lost if the parent goes away.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runConfigSchema, type RunConfig } from '../../../shared/config/run-config';
import { METRIC } from '../../../shared/ipc/metric-names';
import { openRegistry, type Registry } from '../../registry/index';
import { selectBackend, type Tf } from '../backend';
import { checkModelFitsAdapter } from '../backends/webgpu-limits';
import { MetricsWriter } from '../metrics-writer';
import type { RunJob } from '../protocol';
import { runTraining } from '../train/trainer';
import type { JobContext } from './context';

interface StepReport {
  step: number;
  loss: number;
  tokensPerSecond: number | null;
  etaSeconds: number | null;
  extra?: Record<string, number>;
}

export async function trainJob(job: RunJob, ctx: JobContext): Promise<number> {
  let registry: Registry | undefined;
  try {
    registry = openRegistry(job.registryPath);
    const row = registry.runs.get(job.runId);
    if (!row) throw new Error(`run ${job.runId} is not in the registry at ${job.registryPath}`);
    const config = runConfigSchema.parse(row.config);
    registry.runs.markRunning(job.runId, process.pid);

    const selection = await selectBackend({ prefer: job.backend });
    ctx.send({ type: 'started', runId: job.runId, backend: selection.backend, pid: process.pid });
    // On webgpu, every weight and a step's logits must fit the adapter's buffer limits: told from the headers, before loading.
    const batch = config.train.batch_size;
    checkModelFitsAdapter(selection.webgpu, config.model, {
      batchSize: batch,
      seqLen: config.data.max_seq_len,
      batchSource: `config train.batch_size (${batch}) × data.max_seq_len (${config.data.max_seq_len}) × vocab_size`,
    });

    const writer = new MetricsWriter(registry.metrics, job.runId);
    const report = async ({ step, loss, tokensPerSecond, etaSeconds, extra }: StepReport) => {
      // A non-finite loss ends the run as failed; it is never written as a metric.
      if (!Number.isFinite(loss)) throw new Error(`loss became ${loss} at step ${step}`);
      const wallTime = Date.now();
      writer.add({ step, name: METRIC.loss, value: loss, wallTime });
      for (const [name, value] of Object.entries(extra ?? {})) writer.add({ step, name, value, wallTime });
      ctx.send({ type: 'progress', runId: job.runId, step, totalSteps: config.train.steps, loss, tokensPerSecond, etaSeconds });
      await ctx.yieldToEventLoop();
    };
    let status: 'completed' | 'stopped';
    try {
      status = await train(config, selection.tf, job, registry, writer, report, ctx);
    } finally {
      writer.flush();
    }
    // Only while this engine still owns the run (compare-and-set on its pid).
    registry.runs.finish(job.runId, status, null, process.pid);
    ctx.send({ type: 'finished', runId: job.runId, status, error: null });
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    try {
      registry?.runs.finish(job.runId, 'failed', message, process.pid);
    } catch {
      // The registry itself failed; the supervisor will mark the run crashed from the exit code.
    }
    ctx.send({ type: 'finished', runId: job.runId, status: 'failed', error: message });
    process.stderr.write(`engine: run ${job.runId} failed: ${message}\n`);
    return 1;
  } finally {
    registry?.close();
  }
}

async function train(
  config: RunConfig,
  tf: Tf,
  job: RunJob,
  registry: Registry,
  writer: MetricsWriter,
  report: (r: StepReport) => Promise<void>,
  ctx: JobContext,
): Promise<'completed' | 'stopped'> {
  let peakRss = 0;
  const outcome = await runTraining(
    tf,
    { config, outputDir: job.runDir, resumeFrom: job.resumeFrom, initFrom: job.initFrom },
    {
      shouldStop: ctx.shouldStop,
      onStart: ({ startStep, quantizedBase }) => {
        if (quantizedBase.params === 0) return;
        const wallTime = Date.now();
        writer.add({ step: startStep, name: METRIC.quantizedBaseBytes, value: quantizedBase.bytes, wallTime });
        writer.add({ step: startStep, name: METRIC.quantizedBaseFloat32Bytes, value: 4 * quantizedBase.params, wallTime });
      },
      onStep: (s) => {
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
        const extra = { [METRIC.lr]: s.lr, [METRIC.gradNorm]: s.gradNorm, [METRIC.tokensPerSecond]: s.tokensPerSecond, [METRIC.tokens]: s.tokens, [METRIC.peakRssBytes]: peakRss };
        return report({ ...s, extra: { ...extra, ...s.methodMetrics } });
      },
      onRanks: (step, ranks) => registry.ranks.record(job.runId, step, ranks),
      onEval: (step, r) => {
        const wallTime = Date.now();
        writer.add({ step, name: METRIC.evalLoss, value: r.loss, wallTime });
        writer.add({ step, name: METRIC.evalPerplexity, value: r.perplexity, wallTime });
        writer.flush();
      },
      onCheckpoint: (step, dir) => {
        // Metrics up to the checkpoint are committed first: a resume from it then
        // re-logs only the steps after it.
        writer.flush();
        registry.checkpoints.add({ runId: job.runId, step, path: dir, bytes: folderBytes(dir) });
      },
    },
  );
  registry.artifacts.add({ runId: job.runId, kind: outcome.resultKind, path: outcome.resultDir, meta: { step: outcome.step } });
  return outcome.status;
}

/** The bytes of the files in a checkpoint folder, subfolders included. */
function folderBytes(dir: string): number | null {
  // An adapter method's checkpoint holds its PEFT folder in adapter/; count what is inside.
  const bytes = (d: string): number =>
    readdirSync(d, { withFileTypes: true }).reduce(
      (n, e) => n + (e.isDirectory() ? bytes(join(d, e.name)) : (statSync(join(d, e.name), { throwIfNoEntry: false })?.size ?? 0)),
      0,
    );
  try {
    return bytes(dir);
  } catch {
    return null;
  }
}
