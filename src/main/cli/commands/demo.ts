// `loralab demo` (`npm run demo`): the main job on the bundled defaults, offline.
// Teaches the bundled base model (lab-tiny-llama, pretrained by LoRA Lab on the
// Brown corpus) to write numbers in words with a LoRA adapter: eval loss and a
// sample before, training with a progress bar through the same supervisor as
// every run, eval loss and the sample after, the adapter's size, then a merge of
// the adapter into a full model folder, verified. Everything is in the registry.
import { join } from 'node:path';
import { loadAdapter } from '../../engine/adapters/index';
import { selectBackend, type Tf } from '../../engine/backend';
import { generate } from '../../engine/infer/generate';
import { loadTokenizer, type HfTokenizer } from '../../engine/io/tokenizer/index';
import { mergeModel } from '../../engine/merge/merge';
import { verifyMerge } from '../../engine/merge/verify';
import { loadModel } from '../../engine/models/load-model';
import { readHeader } from '../../engine/io/safetensors/index';
import { runConfigSchema } from '../../../shared/config/run-config';
import { createServices } from '../../services/index';
import { resourcesDir } from '../../services/paths';
import { flag, str, type Parsed } from '../args';
import { ProgressBar, type ProgressState } from '../progress-bar';

const PROMPTS = ['Write 4721 in words.', 'Write 86 in words.'];

export function demoConfig(resources: string, steps: number) {
  return runConfigSchema.parse({
    name: 'demo: numbers in words',
    model: join(resources, 'models', 'lab-tiny-llama'),
    method: 'lora',
    lora: { r: 8, alpha: 16, dropout: 0.05, targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] },
    data: { train: join(resources, 'data', 'demo-numbers', 'train.jsonl'), eval: join(resources, 'data', 'demo-numbers', 'eval.jsonl'), max_seq_len: 64 },
    train: { steps, batch_size: 16, lr: 3e-3, schedule: 'cosine', warmup_steps: 10, eval_every: steps, save_every: steps, seed: 42 },
  });
}

async function samples(tf: Tf, modelDir: string, tok: HfTokenizer, adapterDir: string | null): Promise<string[]> {
  const { model } = loadModel(tf, modelDir);
  const adapter = adapterDir ? loadAdapter(tf, adapterDir, model) : null;
  try {
    const out: string[] = [];
    for (const prompt of PROMPTS) {
      const ids = tok.encode(tok.applyChatTemplate([{ role: 'user', content: prompt }], { addGenerationPrompt: true }), { addSpecialTokens: false });
      const gen = await generate(model, ids, { maxNewTokens: 16, temperature: 0, topP: 1, seed: 0, stopIds: tok.stopIds });
      out.push(tok.decode(gen, { skipSpecialTokens: true }).trim());
    }
    return out;
  } finally {
    adapter?.detach();
    model.dispose();
  }
}

export async function demo(args: Parsed): Promise<number> {
  const started = Date.now();
  const steps = Number(str(args, 'steps') ?? 120);
  const say = (line: string) => process.stderr.write(line + '\n');
  const config = demoConfig(resourcesDir(), steps);
  const { tf, backend } = await selectBackend({ prefer: str(args, 'backend') });
  const tok = (await loadTokenizer(config.model))!;
  say(`LoRA Lab demo — teach the bundled lab-tiny-llama to write numbers in words with LoRA (${backend} backend)\n`);

  say('before training:');
  const before = await samples(tf, config.model, tok, null);
  PROMPTS.forEach((p, i) => say(`  ${p}  →  ${JSON.stringify(before[i])}`));

  const services = createServices({ registryPath: str(args, 'registry'), backend: str(args, 'backend') });
  try {
    const { runId } = services.runs.start(config, resourcesDir());
    say(`\ntraining run ${runId}: LoRA r=8 on every linear layer, ${steps} steps of 16 examples`);
    const bar = new ProgressBar();
    const off = services.hub.subscribe((e, p) => e === 'onProgress' && (p as { runId: number }).runId === runId && bar.update(p as ProgressState));
    await services.supervisor.waitForExit(runId);
    off();
    bar.done();
    const run = services.runs.get(runId);
    if (run.status !== 'completed') throw new Error(`the demo run ${run.status}: ${run.error ?? 'no reason recorded'}`);
    const evals = services.registry.metrics.forRun(runId, { names: ['eval_loss'] });
    const [first, last] = [evals[0]!.value, evals.at(-1)!.value];
    const adapterDir = services.registry.artifacts.forRun(runId).find((a) => a.kind === 'adapter')!.path;
    const adapterFile = join(adapterDir, 'adapter_model.safetensors');
    const adapterParams = [...readHeader(adapterFile).tensors.values()].reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);

    say(`\neval loss on the held-out numbers: ${first.toFixed(4)} (base) → ${last.toFixed(4)} (with LoRA), ${(100 * (1 - last / first)).toFixed(1)}% lower`);
    const { statSync } = await import('node:fs');
    say(`adapter: ${adapterParams.toLocaleString('en-US')} parameters, ${(statSync(adapterFile).size / 1024).toFixed(1)} KiB at ${adapterDir}`);
    say('after training:');
    const after = await samples(tf, config.model, tok, adapterDir);
    PROMPTS.forEach((p, i) => say(`  ${p}  →  ${JSON.stringify(after[i])}`));

    const mergedDir = join(services.supervisor.runDir(runId), 'merged');
    const merged = await mergeModel({ base: config.model, adapters: [{ dir: adapterDir, weight: 1 }], out: mergedDir, dtype: 'float32' });
    const check = verifyMerge(tf, config.model, [{ dir: adapterDir, weight: 1 }], mergedDir);
    services.registry.artifacts.add({ runId, kind: 'merged-model', path: mergedDir, meta: { base: config.model, adapters: [adapterDir], dtype: 'float32', verify: check } });
    say(`\nmerged the adapter into ${merged.out} (${merged.adaptedModules.length} modules); largest |logit difference| vs base + adapter: ${check.maxAbsLogitDiff.toExponential(2)}`);
    say(`recorded as run ${runId} in ${services.registry.path} — see \`npx loralab runs show ${runId}\` or \`npx loralab ui\``);
    say(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (flag(args, 'json')) {
      process.stdout.write(JSON.stringify({ runId, evalLossBefore: first, evalLossAfter: last, adapterParams, adapterDir, mergedDir, verify: check, before, after, seconds: (Date.now() - started) / 1000 }) + '\n');
    }
    return 0;
  } finally {
    await services.close();
  }
}
