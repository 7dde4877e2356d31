// LoRA against full fine-tuning on the same model and batch: writes a random Llama
// shaped like resources/models/lab-tiny-llama (vocab 4096, hidden 256, 4 layers,
// 4 heads / 2 KV heads, intermediate 704, tied embeddings; ≈3.9M parameters) and
// 32 rows of 128 random token ids as pre-tokenized JSON Lines, then runs the
// engine's trainer (runTraining, batch 8 × 128) for a few steps with method lora
// (r 8 on q_proj and v_proj) and with method full, each in a fresh child process
// on the wasm backend, and reports per method: the median step time (the first
// step is a warm-up), trainable parameters, optimizer-state bytes and the peak RSS
// above the child's baseline (taken after tfjs is initialised, before the trainer
// loads the model), during the steps and including the final checkpoint and save;
// then the ratios. A diagnostic child per method then follows the wasm heap through
// one forward+backward (what the tensors saved for the backward pass cost, with
// tfjs-backend-wasm's copying Identity kernel and with one that shares the buffer
// as the cpu backend's does). Then the LoRA / full step-time ratio of both sides, in
// the same run (bench/lora-vs-full-torch.ts): the two trainers in one child taking
// steps in turn, and PyTorch's same two steps (bench/train_torch.py --method lora from
// the trainer's initial adapter, and --method full) in alternating blocks. Writes the "lora-vs-full"
// section of BENCHMARKS.md.
// Run: npx tsx bench/lora-vs-full.ts      (or: npm run bench:lora-vs-full; 2–4 minutes)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runConfigSchema, type RunConfig } from '../src/shared/config/run-config';
import { selectBackend } from '../src/main/engine/backend';
import { readExamples } from '../src/main/engine/data/jsonl';
import { padBatch } from '../src/main/engine/infer/evaluate';
import { loadModel } from '../src/main/engine/models/load-model';
import { crossEntropySum, shiftTargets } from '../src/main/engine/train/cross-entropy';
import { createRng } from '../src/main/engine/train/rng';
import { createTrainable } from '../src/main/engine/train/trainable';
import { runTraining } from '../src/main/engine/train/trainer';
import { mulberry32, writeRandomLlama, type LlamaShape } from './make-model';
import { PeakSampler, runChild, traceLine, type MemoryPeak } from './memory';
import { loadAverage, machineLines, mb, median, today, writeSection } from './report';
import { alternatedSteps, torchLines, type Alternated } from './lora-vs-full-torch';
import { copyingIdentity, trackAllocations, wasmHeapBytes, type WasmModule } from './wasm-heap';

/** resources/models/lab-tiny-llama/config.json's shape (head_dim 64 = hidden / heads). */
const LAB_TINY: LlamaShape = { vocab: 4096, hidden: 256, layers: 4, heads: 4, kvHeads: 2, intermediate: 704, maxPositions: 512, tieWordEmbeddings: true };
const BATCH = 8;
const SEQ = 128;
const ROWS = 32;
const WARMUP = 1;
const RUNS = 8;
const LORA = { r: 8, alpha: 16, dropout: 0, targets: ['q_proj', 'v_proj'] };
const METHODS = ['lora', 'full'] as const;
type Method = (typeof METHODS)[number];
const SAMPLE_MS = 5;
const LR = 1e-4;
const COMMAND = 'npx tsx bench/lora-vs-full.ts';

interface ChildResult {
  method: Method;
  wasmThreads: number | null;
  /** CPU seconds over wall seconds in the timed steps. */
  coresUsed: number;
  baselineRss: number;
  hwmReset: boolean;
  trainableParams: number;
  totalParams: number;
  optimizerBytes: number;
  stepSeconds: number[];
  losses: number[];
  /** Peaks up to the last step's onStep (training only). */
  steps: MemoryPeak;
  /** Peaks over the whole runTraining call (adds the final checkpoint and the saved adapter or model). */
  whole: MemoryPeak;
  /** tfjs bytes and wasm heap size at the last step. */
  tfBytes: number;
  wasmHeapBefore: number;
  wasmHeapAtEnd: number;
  timeline: [number, number, number, number][];
}

/** One forward+backward followed through the wasm allocator (diagnostic child). */
interface TapeResult {
  method: Method;
  identity: IdentityMode;
  /** Live wasm tensor bytes when the loss exists (the forward's saved activations), and the peak during the backward. */
  liveAtLoss: number;
  identityAtLoss: number;
  peakLive: number;
  heapGrowth: number;
  seconds: number;
  loss: number;
}

/** 'copy': tfjs-backend-wasm 4.22's Identity (a fresh buffer and a memcpy); 'share': a reference, as the cpu backend's Identity. */
type IdentityMode = 'copy' | 'share';

// ---------------------------------------------------------------------------------------------
// Parent: model and data, one child per method, report.

function parent(): void {
  const load = loadAverage();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'loralab-bench-lora-vs-full-'));
  try {
    const dir = path.join(tmp, 'model');
    const written = writeRandomLlama(dir, LAB_TINY, { dtype: 'F32', seed: 0 });
    const next = mulberry32(2024);
    const rows = Array.from({ length: ROWS }, () => Array.from({ length: SEQ }, () => Math.floor(next() * LAB_TINY.vocab)));
    const data = path.join(tmp, 'train.jsonl');
    writeFileSync(data, rows.map((ids) => JSON.stringify({ input_ids: ids })).join('\n') + '\n');
    console.error(`model: ${written.params} parameters; data: ${ROWS} rows × ${SEQ} tokens`);

    const results = METHODS.map((method) => {
      const resultFile = path.join(tmp, `${method}.json`);
      const r = runChild<ChildResult>(__filename, ['train', method, dir, data, path.join(tmp, `run-${method}`), resultFile], resultFile);
      console.error(
        `${method}: median step ${median(r.stepSeconds.slice(WARMUP)).toFixed(3)} s, peak − baseline during steps ` +
          `${mb(peakOf(r.steps) - r.baselineRss)}, whole run ${mb(peakOf(r.whole) - r.baselineRss)}`,
      );
      console.error(`  RSS (ms: MB): ${traceLine(r.timeline)}`);
      return r;
    });
    const tapes = METHODS.flatMap((method) =>
      (['copy', 'share'] as const).map((identity) => {
        const resultFile = path.join(tmp, `tape-${method}-${identity}.json`);
        const r = runChild<TapeResult>(__filename, ['tape', method, identity, dir, data, resultFile], resultFile);
        console.error(`tape ${method}, Identity ${identity}: live at the loss ${mb(r.liveAtLoss)}, peak ${mb(r.peakLive)}, ${r.seconds.toFixed(2)} s`);
        return r;
      }),
    );
    const alternated = alternatedSteps(tmp, dir, METHODS.map((m) => trainConfig(m, dir, data)) as [RunConfig, RunConfig]);
    const body = report(written.params, results as [ChildResult, ChildResult], tapes, alternated, load);
    writeSection('lora-vs-full', body);
    console.log(body);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const peakOf = (p: MemoryPeak) => Math.max(p.sampledRss, p.vmHwm);

function report(params: number, [lora, full]: [ChildResult, ChildResult], tapes: TapeResult[], alternated: Alternated, load: number[]): string {
  const s = LAB_TINY;
  const step = (r: ChildResult) => median(r.stepSeconds.slice(WARMUP));
  const over = (r: ChildResult, p: MemoryPeak) => peakOf(p) - r.baselineRss;
  const row = (r: ChildResult) =>
    `| ${r.method} | ${step(r).toFixed(3)} | ${((BATCH * SEQ) / step(r)).toFixed(0)} | ${r.trainableParams.toLocaleString('en-US')} | ` +
    `${r.optimizerBytes.toLocaleString('en-US')} (${mb(r.optimizerBytes)}) | ${mb(over(r, r.steps))} | ${mb(over(r, r.whole))} | ${mb(r.tfBytes)} | ` +
    `${mb(r.wasmHeapAtEnd - r.wasmHeapBefore)} | ${r.losses[0]!.toFixed(4)} → ${r.losses[r.losses.length - 1]!.toFixed(4)} | ` +
    `${r.stepSeconds.map((t, i) => (i < WARMUP ? `(${t.toFixed(2)})` : t.toFixed(2))).join(', ')} |`;
  const ratio = (a: number, b: number) => (b === 0 ? '—' : `${(a / b).toFixed(3)}×`);
  return [
    '## LoRA vs full fine-tuning: step time and memory',
    '',
    `The engine's trainer (\`runTraining\`, wasm backend) on the same model and data, batch ${BATCH} × ${SEQ} tokens ` +
      `(${ROWS} rows of random token ids, pre-tokenized JSON Lines), AdamW at a constant lr, clipping at 1.0, ${WARMUP + RUNS} steps; ` +
      `method lora: r ${LORA.r}, alpha ${LORA.alpha}, ${LORA.targets.join(' and ')}; method full: every weight trains. Each method runs in a ` +
      'fresh child process (`node --expose-gc --import tsx`) whose baseline RSS is taken after tfjs and the wasm backend are initialised, right ' +
      `before \`runTraining\` (so the model's own weights count in the peak). Step time = the time between successive \`onStep\` calls, median of ` +
      `${RUNS} after ${WARMUP} warm-up step. Peak = the larger of the RSS sampled every ${SAMPLE_MS} ms from a worker thread and VmHWM ` +
      `(${lora.hwmReset ? 'reset right before the trainer starts' : 'lifetime: not resettable here'}), minus the baseline; "during the steps" ` +
      'ends at the last step\'s `onStep`, "whole run" adds the final checkpoint (weights + optimizer moments) and the saved adapter or model folder. ' +
      'The wasm heap never shrinks, so its growth is the high-water mark of the tfjs tensors.',
    '',
    `- Date: ${today()}`,
    `- Command: \`${COMMAND}\` (or \`npm run bench:lora-vs-full\`)`,
    ...machineLines(load),
    `- Node ${process.version}, backend wasm (${(lora.wasmThreads ?? 1) > 1 ? `threaded build, ${lora.wasmThreads} threads` : 'one thread'})`,
    `- Model: Llama shaped like resources/models/lab-tiny-llama: vocab ${s.vocab}, hidden ${s.hidden}, ${s.layers} layers, ${s.heads} heads / ${s.kvHeads} KV heads, ` +
      `intermediate ${s.intermediate}, tied embeddings: ${params.toLocaleString('en-US')} parameters (${mb(params * 4)} F32)`,
    '',
    '| method | median s / step | tokens/s | trainable parameters | optimizer state, bytes (2 × 4 × trainable) | peak − baseline, during the steps | peak − baseline, whole run | tfjs tensors at the last step | wasm heap growth | loss first → last | steps (s) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    row(lora),
    row(full),
    '',
    `- lora / full: step time **${ratio(step(lora), step(full))}**, trainable parameters **${ratio(lora.trainableParams, full.trainableParams)}** ` +
      `(${(full.trainableParams / lora.trainableParams).toFixed(0)}× fewer), optimizer state **${ratio(lora.optimizerBytes, full.optimizerBytes)}**, ` +
      `peak memory during the steps **${ratio(over(lora, lora.steps), over(full, full.steps))}**, whole run **${ratio(over(lora, lora.whole), over(full, full.whole))}**`,
    `- Baseline RSS: lora ${mb(lora.baselineRss)}, full ${mb(full.baselineRss)}; totalParams reported by the trainer: lora ${lora.totalParams.toLocaleString('en-US')}, ` +
      `full ${full.totalParams.toLocaleString('en-US')}`,
    ...torchLines(alternated),
    '',
    'Where the memory goes: at this size the peak is the step\'s activations, not weights or optimizer state. A diagnostic child per method ' +
      'and Identity kernel runs one warm-up and one measured forward+backward as the trainer does (`tf.variableGrads` of `crossEntropySum` inside ' +
      '`tf.tidy`, the first 8 rows) and follows the wasm allocator (`_malloc`/`_free` as tfjs-backend-wasm calls them, so XNNPACK\'s own ' +
      'buffers are not counted). tfjs saves every tensor a gradient needs with `engine.clone`, i.e. the Identity kernel; tfjs-backend-wasm 4.22\'s ' +
      'Identity allocates a new buffer and copies, where the cpu backend\'s only adds a reference; the engine now installs a sharing ' +
      'Identity on wasm (src/main/engine/wasm-identity.ts), and the "copies" rows put 4.22\'s kernel back to show what that saves.',
    '',
    '| method | Identity kernel | live tensor bytes when the loss exists | of which Identity copies | peak live during the backward | wasm heap growth | forward+backward s |',
    '|---|---|---|---|---|---|---|',
    ...tapes.map(
      (t) =>
        `| ${t.method} | ${t.identity === 'copy' ? 'copies (tfjs-backend-wasm 4.22)' : 'shares the buffer (as cpu)'} | ${mb(t.liveAtLoss)} | ${mb(t.identityAtLoss)} | ` +
        `${mb(t.peakLive)} | ${mb(t.heapGrowth)} | ${t.seconds.toFixed(2)} |`,
    ),
    '',
    `- Same loss either way: ${[...new Set(tapes.map((t) => t.loss.toFixed(6)))].join(', ')}`,
    '- The rest of the peak is tfjs-core\'s backward pass itself: `backpropagateGradients` (tfjs-core tape.js) runs inside one ' +
      '`tidy(\'backward\')` and disposes neither a node\'s saved tensors nor its output gradients once the node is done, so every ' +
      'activation and every intermediate gradient of the step is alive at the end of the backward pass.',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Child: tfjs, baseline, the trainer, peaks. Nothing else runs in this process.

function trainConfig(method: Method, model: string, data: string): RunConfig {
  return runConfigSchema.parse({
    name: `bench-${method}`,
    model,
    method,
    ...(method === 'lora' ? { lora: LORA } : {}),
    data: { train: data, eval: null, max_seq_len: SEQ },
    train: { steps: WARMUP + RUNS, batch_size: BATCH, lr: LR, schedule: 'constant', warmup_steps: 0, weight_decay: 0, max_grad_norm: 1.0, seed: 42 },
  });
}

async function trainChild(method: Method, model: string, data: string, outputDir: string, resultFile: string): Promise<void> {
  const { tf, wasmThreads } = await selectBackend({ prefer: 'wasm' });
  const config = trainConfig(method, model, data);
  const sampler = await PeakSampler.create(SAMPLE_MS);
  (globalThis as { gc?: () => void }).gc?.();
  const baselineRss = process.memoryUsage.rss();
  const wasmHeapBefore = wasmHeapBytes(tf.backend());
  const stepSeconds: number[] = [];
  const losses: number[] = [];
  let start = { trainableParams: 0, totalParams: 0, optimizerBytes: 0 };
  let steps: MemoryPeak | null = null;
  let tfBytes = 0;
  let wasmHeapAtEnd = 0;
  let last = 0;
  let cpuLast = process.cpuUsage();
  let cpuTimed = 0;
  sampler.start();
  await runTraining(
    tf,
    { config, outputDir, resumeFrom: null, initFrom: null },
    {
      onStart: (info) => {
        start = info;
        last = performance.now();
        cpuLast = process.cpuUsage();
      },
      onStep: ({ step, totalSteps, loss }) => {
        const now = performance.now();
        const cpu = process.cpuUsage(cpuLast);
        stepSeconds.push((now - last) / 1000);
        if (step > WARMUP) cpuTimed += (cpu.user + cpu.system) / 1e6;
        losses.push(loss);
        if (step === totalSteps) {
          steps = sampler.peak();
          tfBytes = tf.memory().numBytes;
          wasmHeapAtEnd = wasmHeapBytes(tf.backend());
        }
        last = performance.now();
        cpuLast = process.cpuUsage();
      },
      shouldStop: () => false,
    },
  );
  const whole = await sampler.stop();
  if (!steps) throw new Error('the trainer never reached its last step');
  const epoch = whole.timeline[0]?.[0] ?? 0;
  const r: ChildResult = {
    method,
    wasmThreads,
    coresUsed: cpuTimed / stepSeconds.slice(WARMUP).reduce((a, b) => a + b, 0),
    baselineRss,
    hwmReset: sampler.hwmReset,
    ...start,
    stepSeconds,
    losses,
    steps,
    whole: { ...whole, timeline: undefined } as MemoryPeak,
    tfBytes,
    wasmHeapBefore,
    wasmHeapAtEnd,
    timeline: whole.timeline.map(([t, ...rest]) => [Math.round(t - epoch), ...rest]),
  };
  writeFileSync(resultFile, JSON.stringify(r));
}

async function tapeChild(method: Method, identity: IdentityMode, model: string, data: string, resultFile: string): Promise<void> {
  const { tf } = await selectBackend({ prefer: 'wasm' });
  // The engine installs a sharing Identity (src/main/engine/wasm-identity.ts); 'copy' puts back 4.22's behaviour to compare.
  if (identity === 'copy') copyingIdentity(tf);
  const wasm = (tf.backend() as unknown as { wasm: WasmModule }).wasm;
  const track = trackAllocations(tf, wasm);
  const config = trainConfig(method, model, data);
  const loaded = loadModel(tf, model);
  const trainable = createTrainable(tf, loaded, config, null, createRng(config.train.seed));
  const vars = trainable.params.map((p) => p.variable);
  const batch = padBatch(readExamples(data, null, SEQ).slice(0, BATCH));
  const targets = shiftTargets(batch.labels, loaded.model.options.vocabSize);
  const heapBefore = wasm.HEAPU8.byteLength;
  let result: TapeResult | null = null;
  for (let i = 0; i < 2; i++) {
    track.reset();
    let atLoss = { live: 0, identity: 0 };
    const t0 = performance.now();
    const r = tf.tidy(() =>
      tf.variableGrads(() => {
        const loss = crossEntropySum(tf, loaded.model.forward(batch.ids, batch.mask), targets);
        atLoss = { live: track.live(), identity: track.liveFrom('Identity') };
        return loss;
      }, vars),
    );
    const loss = r.value.dataSync()[0]! / targets.count;
    const seconds = (performance.now() - t0) / 1000;
    r.value.dispose();
    Object.values(r.grads).forEach((g) => g.dispose());
    result = {
      method,
      identity,
      liveAtLoss: atLoss.live,
      identityAtLoss: atLoss.identity,
      peakLive: track.peak(),
      heapGrowth: wasm.HEAPU8.byteLength - heapBefore,
      seconds,
      loss,
    };
  }
  trainable.dispose();
  loaded.model.dispose();
  writeFileSync(resultFile, JSON.stringify(result));
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  const [, kind, method, ...rest] = argv as [string, 'train' | 'tape', Method, ...string[]];
  const [a, b, c, d] = rest as [string, string, string, string];
  const run = kind === 'train' ? trainChild(method, a, b, c, d) : tapeChild(method, a as IdentityMode, b, c, d);
  run.catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
} else {
  try {
    if (argv.length > 0) throw new Error(`usage: ${COMMAND}`);
    parent();
  } catch (err) {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  }
}
