// QLoRA against LoRA on the bundled demo task (lab-tiny-llama, demo-numbers, the
// demo's settings: r 8 on every linear layer of the blocks, 120 steps, batch 16):
//   1. resident bytes of the quantized base weights per parameter — the NF4 codes,
//      block scales and double-quant state (JS buffers) plus any tensor the quantized
//      layers still hold (tf.memory() minus the model's remaining float32 tensors,
//      which should be 0) — without and with double quantization;
//   2. the training step time of QLoRA (NF4 + double quant, dequantized on the fly
//      forward and backward) against LoRA on the float32 base, same model and batch;
//   3. the held-out eval loss each run reaches (issue 9: QLoRA within 5% of LoRA).
// Writes the "qlora" section of BENCHMARKS.md.
// Run: npx tsx bench/qlora.ts     (about 4 minutes on 2 cores)
//      npx tsx bench/qlora.ts --steps N   (a shorter check; the section notes N)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunConfig } from '../src/shared/config/run-config';
import { quantSchema } from '../src/shared/config/quant';
import { demoConfig } from '../src/main/services/demo';
import { selectBackend, type Tf } from '../src/main/engine/backend';
import { loadModel } from '../src/main/engine/models/load-model';
import { bytesPerParameter } from '../src/main/engine/quant/nf4-weight';
import { quantizeModel } from '../src/main/engine/quant/quantize-model';
import { getMethod } from '../src/main/engine/adapters/registry';
import { readExamples } from '../src/main/engine/data/jsonl';
import { padBatch } from '../src/main/engine/infer/evaluate';
import { loadTokenizer } from '../src/main/engine/io/tokenizer/index';
import { crossEntropySum, shiftTargets } from '../src/main/engine/train/cross-entropy';
import { DataLoader } from '../src/main/engine/train/data-loader';
import { AdamW } from '../src/main/engine/train/optimizer';
import { createRng } from '../src/main/engine/train/rng';
import { runTraining } from '../src/main/engine/train/trainer';
import { loadAverage, machineLines, median, today, writeSection } from './report';

const COMMAND = 'npx tsx bench/qlora.ts';
const RESOURCES = path.join(__dirname, '..', 'resources');
const stepsArg = process.argv.indexOf('--steps');
const STEPS = stepsArg > 0 ? Number(process.argv[stepsArg + 1]) : 120;

interface Footprint {
  params: number;
  jsBytes: number;
  tensorBytes: number;
  perParam: number;
  floatBytes: number;
}

async function footprint(tf: Tf, doubleQuant: boolean): Promise<Footprint> {
  const { model } = loadModel(tf, path.join(RESOURCES, 'models', 'lab-tiny-llama'));
  try {
    const base = await quantizeModel(model, quantSchema.parse({ double_quant: doubleQuant }));
    const params = base.weights.reduce((n, w) => n + w.size, 0);
    const jsBytes = base.weights.reduce((n, w) => n + w.bytes, 0);
    const remaining = model.tensors().reduce((n, t) => n + t.size * 4, 0);
    const tensorBytes = tf.memory().numBytes - remaining;
    if (Math.abs(bytesPerParameter(base.weights) - jsBytes / params) > 1e-12) throw new Error('byte count disagrees with bytesPerParameter');
    return { params, jsBytes, tensorBytes, perParam: (jsBytes + tensorBytes) / params, floatBytes: params * 4 };
  } finally {
    model.dispose();
  }
}

interface RunResult {
  stepSeconds: number;
  evalBefore: number;
  evalAfter: number;
  seconds: number;
}

async function train(tf: Tf, config: RunConfig): Promise<RunResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loralab-bench-qlora-'));
  const evals: number[] = [];
  const stamps: number[] = [];
  const started = Date.now();
  try {
    await runTraining(
      tf,
      { config, outputDir: dir, resumeFrom: null, initFrom: null },
      {
        onStep: () => void stamps.push(performance.now()),
        onEval: (_step, r) => void evals.push(r.loss),
        shouldStop: () => false,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Step times between consecutive onStep calls; the first two are warm-up, and the
  // interval spanning the final evaluation/checkpoint is not a step.
  const gaps = stamps.slice(1).map((t, i) => (t - stamps[i]!) / 1000).slice(2);
  return { stepSeconds: median(gaps), evalBefore: evals[0]!, evalAfter: evals.at(-1)!, seconds: (Date.now() - started) / 1000 };
}

/**
 * One optimizer step (forward, backward, AdamW) of LoRA and of QLoRA on the same first
 * batch, in alternating blocks (LoRA, QLoRA, LoRA, QLoRA, …) so that load from other
 * work on the machine hits both alike. (tfjs variable names are global, so the two
 * trainables cannot exist at once.)
 */
async function stepTimes(tf: Tf, config: RunConfig, blocks: number, perBlock: number): Promise<{ lora: number; qlora: number }> {
  const tok = await loadTokenizer(config.model);
  const examples = readExamples(config.data.train, tok, config.data.max_seq_len);
  const batch = padBatch(new DataLoader(examples, config.train.batch_size, config.train.seed).next());
  const time = async (name: 'lora' | 'qlora'): Promise<number[]> => {
    const method = getMethod(name);
    const cfg: RunConfig = { ...config, method: name, quant: name === 'qlora' ? quantSchema.parse({ double_quant: true }) : undefined };
    const loaded = loadModel(tf, config.model);
    await method.prepareBase?.(tf, loaded, cfg);
    const trainable = method.createTrainable({ tf, loaded, config: cfg, initFrom: null, rng: createRng(config.train.seed) });
    const optimizer = new AdamW(tf, trainable.params, { weightDecay: 0 });
    const vars = trainable.params.map((p) => p.variable);
    const targets = shiftTargets(batch.labels, loaded.model.options.vocabSize);
    const out: number[] = [];
    try {
      for (let i = 0; i < perBlock + 1; i++) {
        const t0 = performance.now();
        const { value, grads } = tf.tidy(() => tf.variableGrads(() => crossEntropySum(tf, loaded.model.forward(batch.ids, batch.mask), targets) as never, vars));
        value.dataSync();
        optimizer.apply(vars.map((v) => grads[v.name]!), 1e-4);
        value.dispose();
        Object.values(grads).forEach((g) => g.dispose());
        if (i > 0) out.push((performance.now() - t0) / 1000); // the first step of a block warms up
      }
    } finally {
      optimizer.dispose();
      trainable.dispose();
      loaded.model.dispose();
    }
    return out;
  };
  const lora: number[] = [];
  const qlora: number[] = [];
  for (let b = 0; b < blocks; b++) {
    lora.push(...(await time('lora')));
    qlora.push(...(await time('qlora')));
  }
  return { lora: median(lora), qlora: median(qlora) };
}

async function main(): Promise<void> {
  const load = loadAverage();
  const { tf, backend } = await selectBackend({ prefer: 'wasm' });
  const plain = await footprint(tf, false);
  const dq = await footprint(tf, true);
  const demo = demoConfig(STEPS, RESOURCES);
  const lora = await train(tf, demo);
  const qlora = await train(tf, { ...demo, method: 'qlora', quant: quantSchema.parse({ double_quant: true }) });
  const steps = await stepTimes(tf, demo, 3, 4);
  const gap = (qlora.evalAfter - lora.evalAfter) / lora.evalAfter;
  const row = (name: string, f: Footprint, limit: number) =>
    `| ${name} | ${f.params.toLocaleString('en-US')} | ${f.jsBytes.toLocaleString('en-US')} | ${f.tensorBytes} | **${f.perParam.toFixed(4)}** (≤ ${limit}) | ${(f.floatBytes / (f.jsBytes + f.tensorBytes)).toFixed(2)}× |`;
  const body = [
    '## QLoRA: NF4 base memory, step time and eval loss vs LoRA',
    '',
    'The bundled demo task (lab-tiny-llama, demo-numbers, the demo\'s LoRA settings: r 8 on every block linear, batch 16, ' +
      `${STEPS} steps, cosine lr 3e-3). QLoRA quantizes every decoder-block linear weight to NF4 (block 64) as bitsandbytes does ` +
      'and dequantizes it on the fly for the forward and the backward pass; embeddings, norms and the LM head stay float32.',
    '',
    `- Date: ${today()}`,
    `- Command: \`${COMMAND}\`${STEPS === 120 ? '' : ` --steps ${STEPS}`}`,
    `- Backend: ${backend}`,
    ...machineLines(load),
    '',
    'Resident bytes of the quantized base weights (JS buffers: packed codes, block scales, double-quant codes/scales/offset; tensors: whatever the quantized layers still hold on the backend):',
    '',
    '| base | quantized weights | JS bytes | tensor bytes | bytes / parameter | smaller than float32 |',
    '|---|---|---|---|---|---|',
    row('NF4', plain, 0.57),
    row('NF4 + double quant', dq, 0.52),
    '',
    'Step time: one optimizer step (forward, backward, AdamW) on the same first batch of 16, in alternating blocks (LoRA, QLoRA, ×3, 4 timed steps each after a warm-up step), median; ' +
      'and the median step of each whole training run below (includes data loading and logging).',
    '',
    '| run | step time, alternating | step time in the run | held-out eval loss, base → trained | run wall time |',
    '|---|---|---|---|---|',
    `| LoRA (float32 base) | ${steps.lora.toFixed(3)} s | ${lora.stepSeconds.toFixed(3)} s | ${lora.evalBefore.toFixed(4)} → ${lora.evalAfter.toFixed(4)} | ${lora.seconds.toFixed(0)} s |`,
    `| QLoRA (NF4 + double quant) | ${steps.qlora.toFixed(3)} s (**${(steps.qlora / steps.lora).toFixed(2)}×** LoRA) | ${qlora.stepSeconds.toFixed(3)} s | ${qlora.evalBefore.toFixed(4)} → ${qlora.evalAfter.toFixed(4)} | ${qlora.seconds.toFixed(0)} s |`,
    '',
    `QLoRA's final held-out eval loss is **${(100 * Math.abs(gap)).toFixed(2)}%** ${gap >= 0 ? 'above' : 'below'} LoRA's (target: within 5%).`,
  ].join('\n');
  writeSection('qlora', body);
  console.log(body);
  if (plain.perParam > 0.57 || dq.perParam > 0.52 || Math.abs(gap) > 0.05) process.exitCode = 1;
}

void main();
