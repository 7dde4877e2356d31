// AdaLoRA against LoRA on the bundled demo task (lab-tiny-llama, demo-numbers, the
// demo's settings: every linear layer of the blocks, batch 16, cosine lr 3e-3, 120
// steps): LoRA at r 8, AdaLoRA starting at init_r 12 and budgeted down to target_r 8
// on average (PEFT's default 12 → 8 ratio), tinit 10, tfinal 30, delta_t 10, the
// other AdaLoRA fields at PEFT's defaults (beta1 = beta2 = 0.85, orth_reg_weight 0.5).
// Both through the engine's trainer (runTraining, wasm). Reports the held-out eval loss
// each reaches (issue 9: AdaLoRA within 5% of the LoRA run whose r is its target_r),
// the final rank per matrix, step times and wall times.
// Writes the "adalora" section of BENCHMARKS.md.
// Run: npx tsx bench/adalora.ts     (two 120-step runs; several minutes on 2 cores)
//      npx tsx bench/adalora.ts --steps N   (a shorter check; the section notes N)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunConfig } from '../src/shared/config/run-config';
import { adaloraSchema } from '../src/shared/config/adalora';
import { demoConfig } from '../src/main/services/demo';
import { selectBackend, type Tf } from '../src/main/engine/backend';
import { runTraining } from '../src/main/engine/train/trainer';
import { loadAverage, machineLines, median, today, writeSection } from './report';

const COMMAND = 'npx tsx bench/adalora.ts';
const RESOURCES = path.join(__dirname, '..', 'resources');
const stepsArg = process.argv.indexOf('--steps');
const STEPS = stepsArg > 0 ? Number(process.argv[stepsArg + 1]) : 120;

interface Outcome {
  stepSeconds: number;
  evalBefore: number;
  evalAfter: number;
  seconds: number;
  ranks: { module: string; rank: number }[];
  params: number;
}

async function train(tf: Tf, config: RunConfig): Promise<Outcome> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loralab-bench-adalora-'));
  const evals: number[] = [];
  const stamps: number[] = [];
  let ranks: Outcome['ranks'] = [];
  let params = 0;
  const started = Date.now();
  try {
    await runTraining(
      tf,
      { config, outputDir: dir, resumeFrom: null, initFrom: null },
      {
        onStart: (i) => void (params = i.trainableParams),
        onStep: () => void stamps.push(performance.now()),
        onEval: (_step, r) => void evals.push(r.loss),
        onRanks: (_step, r) => void (ranks = r),
        shouldStop: () => false,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const gaps = stamps.slice(1).map((t, i) => (t - stamps[i]!) / 1000).slice(2);
  return { stepSeconds: median(gaps), evalBefore: evals[0]!, evalAfter: evals.at(-1)!, seconds: (Date.now() - started) / 1000, ranks, params };
}

async function main(): Promise<void> {
  const load = loadAverage();
  const { tf, backend } = await selectBackend({ prefer: 'wasm' });
  const demo = demoConfig(STEPS, RESOURCES);
  const r = demo.lora!.r;
  const tinit = Math.round(STEPS / 12);
  const tfinal = Math.round(STEPS / 4);
  const deltaT = Math.max(1, Math.round(STEPS / 12));
  const adalora = adaloraSchema.parse({ init_r: Math.round(1.5 * r), target_r: r, tinit, tfinal, delta_t: deltaT });
  const lora = await train(tf, demo);
  const ada = await train(tf, { ...demo, method: 'adalora', lora: { ...demo.lora!, rslora: false }, adalora });
  const gap = (ada.evalAfter - lora.evalAfter) / lora.evalAfter;
  const total = ada.ranks.reduce((n, x) => n + x.rank, 0);
  const byLeaf = new Map<string, number[]>();
  for (const x of ada.ranks) {
    const leaf = x.module.slice(x.module.lastIndexOf('.') + 1);
    byLeaf.set(leaf, [...(byLeaf.get(leaf) ?? []), x.rank]);
  }
  const body = [
    '## AdaLoRA vs LoRA',
    '',
    'The bundled demo task (lab-tiny-llama, demo-numbers, the demo\'s settings: every block linear, batch 16, ' +
      `${STEPS} steps, cosine lr 3e-3, alpha 16, dropout 0.05). LoRA at r ${r}; AdaLoRA from init_r ${adalora.init_r} budgeted to ` +
      `target_r ${r} (the LoRA run's r) on average, tinit ${tinit}, tfinal ${tfinal}, delta_t ${deltaT}, beta1 = beta2 = ${adalora.beta1}, ` +
      `orth_reg_weight ${adalora.orth_reg_weight} (PEFT's defaults for the rest). Both through runTraining on the same data order.`,
    '',
    `- Date: ${today()}`,
    `- Command: \`${COMMAND}\`${STEPS === 120 ? '' : ` --steps ${STEPS}`}`,
    `- Backend: ${backend}`,
    ...machineLines(load),
    '',
    '| run | trainable parameters | held-out eval loss, base → trained | median step | run wall time |',
    '|---|---|---|---|---|',
    `| LoRA r ${r} | ${lora.params.toLocaleString('en-US')} | ${lora.evalBefore.toFixed(4)} → ${lora.evalAfter.toFixed(4)} | ${lora.stepSeconds.toFixed(3)} s | ${lora.seconds.toFixed(0)} s |`,
    `| AdaLoRA ${adalora.init_r} → ${r} | ${ada.params.toLocaleString('en-US')} (at init_r) | ${ada.evalBefore.toFixed(4)} → ${ada.evalAfter.toFixed(4)} | ${ada.stepSeconds.toFixed(3)} s | ${ada.seconds.toFixed(0)} s |`,
    '',
    `AdaLoRA's final held-out eval loss is **${(100 * Math.abs(gap)).toFixed(2)}%** ${gap >= 0 ? 'above' : 'below'} LoRA's (target: within 5%).`,
    '',
    `Final ranks (kept triplets after the final allocation; total ${total} = target_r ${r} × ${ada.ranks.length} matrices), by layer:`,
    '',
    ...[...byLeaf].map(([leaf, ranks]) => `- ${leaf}: ${ranks.join(', ')}`),
  ].join('\n');
  writeSection('adalora', body);
  console.log(body);
  if (Math.abs(gap) > 0.05 || total !== r * ada.ranks.length) process.exitCode = 1;
}

void main();
