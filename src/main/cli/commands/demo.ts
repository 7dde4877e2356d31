// `loralab demo` (`npm run demo`): the main job on the bundled defaults, offline.
// Teaches the bundled base model (lab-tiny-llama) to write numbers in words with
// a LoRA adapter: held-out exact-match accuracy and sample answers before (an eval
// job on the base), training with a progress bar through the same supervisor as
// every run (eval loss before and after is in its metrics), the same held-out
// prompts after (an eval job with the adapter), the adapter's size, then a
// verified merge recorded as an artifact of the run. Every step is a service
// call, as in the workbench.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalResultData, ExactMatchResultData, MergeResultData } from '../../../shared/ipc/job-schemas';
import { METRIC } from '../../../shared/ipc/metric-names';
import { DEMO_EXACT_MATCH, DEMO_STEPS, demoConfig } from '../../services/demo';
import { createServices, type Services } from '../../services/index';
import { resourcesDir } from '../../services/paths';
import { flag, str, UsageError, type Parsed } from '../args';
import { followJob } from '../follow-job';
import { ProgressBar, type ProgressState } from '../progress-bar';

/** Sample answers shown before and after: the first held-out prompts. */
const SHOWN = 3;

async function heldOut(s: Services, model: string, data: string, adapter: string | null): Promise<ExactMatchResultData> {
  const { jobId } = s.jobs.eval({ model, adapter, data, batchSize: 16, quantize: null, doubleQuant: false, exactMatch: DEMO_EXACT_MATCH });
  return ((await followJob(s.hub, s.jobs, jobId, { quiet: true })) as EvalResultData).exactMatch!;
}

const percent = (m: ExactMatchResultData): string => `${Math.round(100 * m.accuracy)}%`;

export async function demo(args: Parsed): Promise<number> {
  const started = Date.now();
  const steps = Number(str(args, 'steps') ?? DEMO_STEPS);
  if (!Number.isInteger(steps) || steps < 1) throw new UsageError(`--steps must be a positive integer, got ${str(args, 'steps')}`);
  const say = (line: string) => process.stderr.write(line + '\n');
  const config = demoConfig(steps);
  const evalFile = config.data.eval!;
  const services = createServices({ registryPath: str(args, 'registry'), backend: str(args, 'backend') });
  const show = (m: ExactMatchResultData) =>
    m.samples.slice(0, SHOWN).forEach((x) => say(`  ${x.prompt}  →  ${JSON.stringify(x.answer)}  ${x.correct ? '✓' : `✗ (expected ${JSON.stringify(x.expected)})`}`));
  try {
    say('LoRA Lab demo — teach the bundled lab-tiny-llama to write numbers in words with LoRA\n');
    const before = await heldOut(services, config.model, evalFile, null);
    say(`before training: ${before.correct} of ${before.total} held-out prompts answered exactly (${percent(before)})`);
    show(before);

    const { runId } = services.runs.start(config, resourcesDir());
    say(`\ntraining run ${runId}: LoRA r=8 on every linear layer, ${steps} steps of ${config.train.batch_size} examples`);
    const bar = new ProgressBar();
    const off = services.hub.subscribe((e, p) => e === 'onProgress' && (p as { runId: number }).runId === runId && bar.update(p as ProgressState));
    await services.supervisor.waitForExit(runId);
    off();
    bar.done();
    const run = services.runs.get(runId);
    if (run.status !== 'completed') throw new Error(`the demo run ${run.status}: ${run.error ?? 'no reason recorded'}`);
    const evals = services.registry.metrics.forRun(runId, { names: [METRIC.evalLoss] });
    const [first, last] = [evals[0]!.value, evals.at(-1)!.value];
    const adapterDir = run.artifacts.find((a) => a.kind === 'adapter')!.path;

    say(`\neval loss on the held-out numbers: ${first.toFixed(4)} (base) → ${last.toFixed(4)} (with LoRA), ${(100 * (1 - last / first)).toFixed(1)}% lower`);
    say(`adapter: ${(run.trainableParams ?? 0).toLocaleString('en-US')} parameters, ${((run.adapterBytes ?? 0) / 1024).toFixed(1)} KiB at ${adapterDir}`);
    const after = await heldOut(services, config.model, evalFile, adapterDir);
    say(`after training: ${after.correct} of ${after.total} held-out prompts answered exactly (${percent(after)})`);
    show(after);
    say(`\nheld-out exact match: ${percent(before)} → ${percent(after)} (${after.total} prompts none of which is in the training data)`);

    const mergedDir = join(services.supervisor.runDir(runId), 'merged');
    const { jobId } = services.jobs.merge({ base: config.model, adapters: [{ path: adapterDir, weight: 1 }], out: mergedDir, dtype: 'float32', verify: true, runId });
    const merged = (await followJob(services.hub, services.jobs, jobId, { quiet: true })) as MergeResultData;
    const check = merged.verify!;
    say(`\nmerged the adapter into ${merged.out} (${merged.adaptedModules.length} modules); largest |logit difference| vs base + adapter: ${check.maxAbsLogitDiff.toExponential(2)}`);
    say(`recorded as run ${runId} in ${services.registry.path} — see \`npx loralab runs show ${runId}\` or \`npx loralab ui\``);
    say(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (flag(args, 'json')) {
      const accuracy = (m: ExactMatchResultData) => ({ correct: m.correct, total: m.total, accuracy: m.accuracy });
      const result = {
        runId,
        steps,
        batchSize: config.train.batch_size,
        evalRows: readFileSync(evalFile, 'utf8').split('\n').filter((l) => l.trim()).length,
        evalLossBefore: first,
        evalLossAfter: last,
        exactMatchBefore: accuracy(before),
        exactMatchAfter: accuracy(after),
        adapterParams: run.trainableParams,
        adapterDir,
        mergedDir,
        verify: check,
        before: before.samples.slice(0, SHOWN),
        after: after.samples.slice(0, SHOWN),
        seconds: (Date.now() - started) / 1000,
      };
      process.stdout.write(JSON.stringify(result) + '\n');
    }
    return 0;
  } finally {
    await services.close();
  }
}
