// `loralab demo` (`npm run demo`): the main job on the bundled defaults, offline.
// Teaches the bundled base model (lab-tiny-llama) to write numbers in words with
// a LoRA adapter: greedy answers before, training with a progress bar through the
// same supervisor as every run (eval loss before and after is in its metrics),
// the answers after, the adapter's size, then a verified merge recorded as an
// artifact of the run. Every step is a service call, as in the workbench.
import { join } from 'node:path';
import type { GenerateResultData, MergeResultData } from '../../../shared/ipc/job-schemas';
import { METRIC } from '../../../shared/ipc/metric-names';
import { DEMO_PROMPTS, demoConfig } from '../../services/demo';
import { createServices, type Services } from '../../services/index';
import { resourcesDir } from '../../services/paths';
import { flag, str, UsageError, type Parsed } from '../args';
import { followJob } from '../follow-job';
import { ProgressBar, type ProgressState } from '../progress-bar';

async function answers(s: Services, model: string, adapter: string | null): Promise<string[]> {
  const out: string[] = [];
  for (const prompt of DEMO_PROMPTS) {
    const { jobId } = s.jobs.generate({ model, adapter, prompt, chat: true, maxNewTokens: 16, temperature: 0, topP: 1, seed: 0, quantize: null, doubleQuant: false });
    out.push(((await followJob(s.hub, s.jobs, jobId, { quiet: true })) as GenerateResultData).text.trim());
  }
  return out;
}

export async function demo(args: Parsed): Promise<number> {
  const started = Date.now();
  const steps = Number(str(args, 'steps') ?? 120);
  if (!Number.isInteger(steps) || steps < 1) throw new UsageError(`--steps must be a positive integer, got ${str(args, 'steps')}`);
  const say = (line: string) => process.stderr.write(line + '\n');
  const config = demoConfig(steps);
  const services = createServices({ registryPath: str(args, 'registry'), backend: str(args, 'backend') });
  try {
    say('LoRA Lab demo — teach the bundled lab-tiny-llama to write numbers in words with LoRA\n');
    say('before training:');
    const before = await answers(services, config.model, null);
    DEMO_PROMPTS.forEach((p, i) => say(`  ${p}  →  ${JSON.stringify(before[i])}`));

    const { runId } = services.runs.start(config, resourcesDir());
    say(`\ntraining run ${runId}: LoRA r=8 on every linear layer, ${steps} steps of 16 examples`);
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
    say('after training:');
    const after = await answers(services, config.model, adapterDir);
    DEMO_PROMPTS.forEach((p, i) => say(`  ${p}  →  ${JSON.stringify(after[i])}`));

    const mergedDir = join(services.supervisor.runDir(runId), 'merged');
    const { jobId } = services.jobs.merge({ base: config.model, adapters: [{ path: adapterDir, weight: 1 }], out: mergedDir, dtype: 'float32', verify: true, runId });
    const merged = (await followJob(services.hub, services.jobs, jobId, { quiet: true })) as MergeResultData;
    const check = merged.verify!;
    say(`\nmerged the adapter into ${merged.out} (${merged.adaptedModules.length} modules); largest |logit difference| vs base + adapter: ${check.maxAbsLogitDiff.toExponential(2)}`);
    say(`recorded as run ${runId} in ${services.registry.path} — see \`npx loralab runs show ${runId}\` or \`npx loralab ui\``);
    say(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (flag(args, 'json')) {
      const result = { runId, evalLossBefore: first, evalLossAfter: last, adapterParams: run.trainableParams, adapterDir, mergedDir, verify: check, before, after, seconds: (Date.now() - started) / 1000 };
      process.stdout.write(JSON.stringify(result) + '\n');
    }
    return 0;
  } finally {
    await services.close();
  }
}
