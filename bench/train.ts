// LoRA training throughput, LoRA Lab's trainer on the wasm backend against the same
// step in PyTorch: writes a 17M-parameter Llama (random,
// float32) and one batch of 8 × 256 random token ids as pre-tokenized JSON Lines,
// runs runTraining (LoRA r 8 on q_proj and v_proj, AdamW, constant lr, clipping at
// 1.0; every step sees the same 8 rows) and times its steps (the first is a warm-up),
// then times forward and backward apart and profiles one step kernel by kernel
// (tf.profile), then runs bench/train_torch.py on the same model folder, the same A
// (the trainer's initial adapter, B = 0) and the same batch, and cross-checks the
// first losses (the base model's loss on both sides), the first gradient norm and
// the second loss. Writes the "train" section of BENCHMARKS.md.
// Run: npx tsx bench/train.ts        (or: npm run bench:train; about 3 minutes)
//      npx tsx bench/train.ts --runs N   (N timed tfjs steps instead of 5; N ≥ 1)
//      npx tsx bench/train.ts --backend webgpu [--runs N] [--batch N]   (another
//      backend: the trainer's steps and the cross-check with PyTorch, no kernel
//      profile, in its own section "train-<backend>" labelled with the adapter; on
//      Mesa's llvmpipe set EGL_PLATFORM=surfaceless, and expect minutes per step)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Tensor } from '@tensorflow/tfjs';
import { runConfigSchema, type RunConfig } from '../src/shared/config/run-config';
import { selectBackend, type Tf } from '../src/main/engine/backend';
import { readExamples } from '../src/main/engine/data/jsonl';
import { padBatch } from '../src/main/engine/infer/evaluate';
import { loadModel } from '../src/main/engine/models/load-model';
import { crossEntropySum, shiftTargets } from '../src/main/engine/train/cross-entropy';
import { createRng } from '../src/main/engine/train/rng';
import { createTrainable } from '../src/main/engine/train/trainable';
import { runTraining } from '../src/main/engine/train/trainer';
import { backendLines, NO_GPU_MACHINE_NOTE, parseBenchArgs } from './backend-args';
import { LLAMA_17M, mulberry32, writeRandomLlama } from './make-model';
import { loadAverage, machineLines, mb, median, today, writeSection, type TorchEnvironment } from './report';

const COMMAND = 'npx tsx bench/train.ts';
const DEFAULT_RUNS = 5;
const ARGS = parseBenchArgs(process.argv.slice(2), { runs: DEFAULT_RUNS, batch: 8 }, COMMAND) ?? process.exit(1);
const BATCH = ARGS.batch;
const SEQ = 256;
const WARMUP = 1;
const TORCH_WARMUP = 2;
const TORCH_RUNS = 10;
const DIAG_RUNS = 2; // forward-only and forward+backward, each; the median is reported
const THREADS = 2;
const LR = 1e-3;
const LORA = { r: 8, alpha: 16, dropout: 0, targets: ['q_proj', 'v_proj'] };
const PYTHON = '/usr/bin/python3';

interface TorchResult extends TorchEnvironment {
  trainable: number;
  losses: number[];
  grad_norms: number[];
  step_s: number[];
  median_s: number;
  forward_median_s: number;
  backward_median_s: number;
  cores_used: number;
  tokens_per_s: number;
}

interface TfjsRun {
  stepSeconds: number[];
  losses: number[];
  gradNorms: number[];
  trainableParams: number;
  totalParams: number;
  optimizerBytes: number;
  coresUsed: number;
}

interface KernelRow {
  name: string;
  fwdMs: number;
  fwdCount: number;
  bwdMs: number;
  bwdCount: number;
  /** The costliest input-shape signature of this kernel, and its total ms. */
  topShapes: string;
  topShapesMs: number;
}

/** BatchMatMul calls (every tf.matMul on wasm) grouped by input shapes. */
interface MatMulRow {
  shapes: string;
  fwdCount: number;
  bwdCount: number;
  ms: number;
  flops: number;
}

interface Diagnostics {
  forwardOnly: number[];
  forwardInGrad: number[];
  backward: number[];
  kernels: KernelRow[];
  matmuls: MatMulRow[];
  profiledMs: { forward: number; backward: number };
}

async function main(runs: number): Promise<void> {
  const load = loadAverage();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'loralab-bench-train-'));
  try {
    // 1. Model and batch: float32, so both sides start from identical weights.
    const dir = path.join(tmp, 'model');
    const written = writeRandomLlama(dir, LLAMA_17M, { dtype: 'F32', seed: 0 });
    console.error(`model: ${written.params} parameters, ${mb(written.dataBytes)} F32 in ${dir}`);
    const next = mulberry32(4321);
    const ids = Array.from({ length: BATCH }, () => Array.from({ length: SEQ }, () => Math.floor(next() * LLAMA_17M.vocab)));
    const trainFile = path.join(tmp, 'train.jsonl');
    writeFileSync(trainFile, ids.map((row) => JSON.stringify({ input_ids: row })).join('\n') + '\n');

    const selection = await selectBackend({ prefer: ARGS.backend });
    const tf = selection.tf;
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const config = runConfigSchema.parse({
      name: 'bench-train',
      model: dir,
      method: 'lora',
      lora: LORA,
      data: { train: trainFile, eval: null, max_seq_len: SEQ },
      train: {
        steps: WARMUP + runs,
        batch_size: BATCH,
        lr: LR,
        schedule: 'constant',
        warmup_steps: 0,
        weight_decay: 0,
        max_grad_norm: 1.0,
        seed: 42,
      },
    });

    // 2. The trainer, timed step by step.
    const run = await trainTimed(tf, config, path.join(tmp, 'run'));

    // 3. Forward vs backward, and a kernel profile (wasm only: its kernels run when called); saves the trainer's initial adapter for torch.
    const adapterDir = path.join(tmp, 'adapter-init');
    const diag = await diagnose(tf, config, trainFile, adapterDir, selection.backend === 'wasm');

    // 4. PyTorch on the same model, A and batch.
    const batchFile = path.join(tmp, 'batch.json');
    writeFileSync(batchFile, JSON.stringify({ ids }));
    const torch = runTorch(dir, adapterDir, batchFile);
    if (torch.cores_used < THREADS - 0.2) {
      console.error(`warning: PyTorch kept only ${torch.cores_used.toFixed(2)} of ${THREADS} cores busy: other work competed for the CPU`);
    }

    if (!diag) {
      const other = deviceReport({ runs, load, written, selection, run, torch });
      writeSection(`train-${selection.backend}`, other);
      console.log(other);
      return;
    }
    if (run.coresUsed < 0.9 * (selection.wasmThreads ?? 1)) {
      console.error(`warning: tfjs kept only ${run.coresUsed.toFixed(2)} of its ${selection.wasmThreads} threads' cores busy: other work competed for the CPU`);
    }
    const body = report({ runs, load, loadAtEnd: os.loadavg(), written, selection, simd: Boolean(simd), run, diag, torch });
    writeSection('train', body);
    console.log(body);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function trainTimed(tf: Tf, config: RunConfig, outputDir: string): Promise<TfjsRun> {
  let last = 0;
  let cpuLast = process.cpuUsage();
  let cpuTimed = 0;
  const stepSeconds: number[] = [];
  const losses: number[] = [];
  const gradNorms: number[] = [];
  let start = { trainableParams: 0, totalParams: 0, optimizerBytes: 0 };
  await runTraining(
    tf,
    { config, outputDir, resumeFrom: null, initFrom: null },
    {
      onStart: (info) => {
        start = info;
        last = performance.now();
        cpuLast = process.cpuUsage();
      },
      onStep: ({ step, loss, gradNorm }) => {
        const now = performance.now();
        const cpu = process.cpuUsage(cpuLast);
        const seconds = (now - last) / 1000;
        stepSeconds.push(seconds);
        if (step > WARMUP) cpuTimed += (cpu.user + cpu.system) / 1e6;
        losses.push(loss);
        gradNorms.push(gradNorm);
        console.error(`tfjs step ${step}/${config.train.steps}${step <= WARMUP ? ' (warm-up)' : ''}: ${seconds.toFixed(2)} s, loss ${loss.toFixed(6)}`);
        last = performance.now();
        cpuLast = process.cpuUsage();
      },
      shouldStop: () => false,
    },
  );
  const timed = stepSeconds.slice(WARMUP);
  return { stepSeconds, losses, gradNorms, ...start, coresUsed: cpuTimed / timed.reduce((a, b) => a + b, 0) };
}

/**
 * One LoRA step's forward and backward timed apart, on a fresh model with the
 * trainer's own trainable (same seed, so the same initial A), plus a tf.profile of
 * one forward+backward, kernels split at the point where the loss exists.
 */
async function diagnose(tf: Tf, config: RunConfig, trainFile: string, adapterDir: string, timed: boolean): Promise<Diagnostics | null> {
  const loaded = loadModel(tf, config.model);
  const trainable = createTrainable(tf, loaded, config, null, createRng(config.train.seed));
  try {
    mkdirSync(adapterDir, { recursive: true });
    await trainable.save(adapterDir);
    if (!timed) return null;
    const vars = trainable.params.map((p) => p.variable);
    const batch = padBatch(readExamples(trainFile, null, SEQ));
    const targets = shiftTargets(batch.labels, loaded.model.options.vocabSize);
    const lossOf = () => crossEntropySum(tf, loaded.model.forward(batch.ids, batch.mask), targets);
    trainable.setTraining(true);

    const forwardOnly: number[] = [];
    const forwardInGrad: number[] = [];
    const backward: number[] = [];
    for (let i = 0; i < DIAG_RUNS; i++) {
      const t0 = performance.now();
      const loss = tf.tidy(lossOf);
      loss.dataSync();
      forwardOnly.push((performance.now() - t0) / 1000);
      loss.dispose();
    }
    for (let i = 0; i < DIAG_RUNS; i++) {
      let t1 = 0;
      const t0 = performance.now();
      const r = tf.tidy(() =>
        tf.variableGrads(() => {
          const loss = lossOf();
          t1 = performance.now();
          return loss;
        }, vars),
      );
      r.value.dataSync();
      const t2 = performance.now();
      forwardInGrad.push((t1 - t0) / 1000);
      backward.push((t2 - t1) / 1000);
      disposeGrads(r);
    }
    console.error(`tfjs forward ${median(forwardOnly).toFixed(2)} s (no tape), forward in variableGrads ${median(forwardInGrad).toFixed(2)} s, backward ${median(backward).toFixed(2)} s`);

    // One profiled forward+backward: wasm kernels run synchronously, so each record's time is its own.
    let mark = 0;
    const info = await tf.profile(() => {
      const r = tf.tidy(() =>
        tf.variableGrads(() => {
          const loss = lossOf();
          mark = profiledKernelCount(tf);
          return loss;
        }, vars),
      );
      disposeGrads(r);
    });
    const { kernels, matmuls, profiledMs } = await aggregate(tf, info.kernels, mark);
    return { forwardOnly, forwardInGrad, backward, kernels, matmuls, profiledMs };
  } finally {
    trainable.dispose();
    loaded.model.dispose();
  }
}

function disposeGrads(r: { value: Tensor; grads: Record<string, Tensor> }): void {
  r.value.dispose();
  Object.values(r.grads).forEach((g) => g.dispose());
}

/** How many kernels tf.profile has recorded so far (tfjs keeps the list on the engine's state while profiling). */
function profiledKernelCount(tf: Tf): number {
  const engine = tf.engine() as unknown as { state: { activeProfile: { kernels: unknown[] } } };
  return engine.state.activeProfile.kernels.length;
}

type ProfileKernel = Awaited<ReturnType<Tf['profile']>>['kernels'][number];

async function aggregate(tf: Tf, kernels: ProfileKernel[], mark: number) {
  const rows = new Map<string, KernelRow>();
  const shapes = new Map<string, Map<string, number>>();
  const matmuls = new Map<string, MatMulRow>();
  const profiledMs = { forward: 0, backward: 0 };
  const backend = tf.getBackend();
  for (let i = 0; i < kernels.length; i++) {
    const k = kernels[i]!;
    // Records of customGrad scopes wrap kernels that are recorded themselves: count registered kernels only.
    if (!tf.getKernel(k.name, backend)) continue;
    const t = await k.kernelTimeMs;
    const ms = typeof t === 'number' ? t : 0;
    const row = rows.get(k.name) ?? { name: k.name, fwdMs: 0, fwdCount: 0, bwdMs: 0, bwdCount: 0, topShapes: '', topShapesMs: 0 };
    if (i < mark) {
      row.fwdMs += ms;
      row.fwdCount++;
      profiledMs.forward += ms;
    } else {
      row.bwdMs += ms;
      row.bwdCount++;
      profiledMs.backward += ms;
    }
    rows.set(k.name, row);
    const sig = k.inputShapes.map((s) => (s ? `[${s.join('×')}]` : '-')).join(' · ');
    const bySig = shapes.get(k.name) ?? new Map<string, number>();
    bySig.set(sig, (bySig.get(sig) ?? 0) + ms);
    shapes.set(k.name, bySig);
    if (k.name === 'BatchMatMul') {
      const m = matmuls.get(sig) ?? { shapes: sig, fwdCount: 0, bwdCount: 0, ms: 0, flops: matMulFlops(k.inputShapes as number[][]) };
      if (i < mark) m.fwdCount++;
      else m.bwdCount++;
      m.ms += ms;
      matmuls.set(sig, m);
    }
  }
  for (const row of rows.values()) {
    const [sig, ms] = [...shapes.get(row.name)!.entries()].reduce((a, b) => (b[1] > a[1] ? b : a));
    row.topShapes = sig;
    row.topShapesMs = ms;
  }
  return {
    kernels: [...rows.values()].sort((a, b) => b.fwdMs + b.bwdMs - (a.fwdMs + a.bwdMs)),
    matmuls: [...matmuls.values()].sort((a, b) => b.ms - a.ms),
    profiledMs,
  };
}

/**
 * FLOPs of one matMul from its input shapes (the profile does not record the
 * transpose attributes; the engine's products are plain, so the plain reading
 * is tried first).
 */
function matMulFlops([a, b]: number[][]): number {
  if (!a || !b || a.length < 2 || b.length < 2) return 0;
  const [m, k] = a.slice(-2) as [number, number];
  const [k2, n] = b.slice(-2) as [number, number];
  const batch = Math.max(a.slice(0, -2).reduce((x, y) => x * y, 1), b.slice(0, -2).reduce((x, y) => x * y, 1));
  if (k === k2) return 2 * batch * m * k * n; // a·b
  if (k === n) return 2 * batch * m * k * k2; // a·bᵀ
  if (m === k2) return 2 * batch * k * m * n; // aᵀ·b
  return 0;
}

function runTorch(model: string, adapter: string, batch: string): TorchResult {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(THREADS), OPENBLAS_NUM_THREADS: String(THREADS) };
  // The machine sets these for other programs; with them OpenBLAS picks slower kernels.
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const script = path.join(__dirname, 'train_torch.py');
  const args = [script, model, adapter, batch, '--threads', String(THREADS), '--warmup', String(TORCH_WARMUP), '--runs', String(TORCH_RUNS), '--lr', String(LR), '--max-grad-norm', '1.0'];
  const r = spawnSync(PYTHON, args, { env, encoding: 'utf8', maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.error) throw new Error(`could not run ${PYTHON}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${PYTHON} ${path.basename(script)} failed (exit ${r.status})`);
  const lastLine = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(lastLine) as TorchResult;
}

interface ReportInput {
  runs: number;
  load: number[];
  loadAtEnd: number[];
  written: { params: number; dataBytes: number };
  selection: { tfjsVersion: string; backend: string; wasmThreads: number | null };
  simd: boolean;
  run: TfjsRun;
  diag: Diagnostics;
  torch: TorchResult;
}

function report({ runs, load, loadAtEnd, written, selection, simd, run, diag, torch }: ReportInput): string {
  const s = LLAMA_17M;
  const tokens = BATCH * SEQ;
  const timed = run.stepSeconds.slice(WARMUP);
  const tfStep = median(timed);
  const tfTokens = tokens / tfStep;
  const ratio = tfTokens / torch.tokens_per_s;
  const fwd = median(diag.forwardInGrad);
  const bwd = median(diag.backward);
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);
  const check = (label: string, a: number, b: number) =>
    `| ${label} | ${a.toFixed(7)} | ${b.toFixed(7)} | ${Math.abs(a - b).toExponential(2)} | ${rel(a, b).toExponential(2)} |`;
  const profiled = diag.profiledMs.forward + diag.profiledMs.backward;
  const top = diag.kernels.slice(0, 12);
  const pct = (ms: number) => `${((100 * ms) / profiled).toFixed(1)}%`;
  return [
    '## LoRA training step: tfjs (wasm) vs PyTorch (CPU)',
    '',
    `LoRA r ${LORA.r} (alpha ${LORA.alpha}, no dropout) on ${LORA.targets.join(' and ')}, float32, batch ${BATCH} × ${SEQ} tokens (random ids, one ` +
      `pre-tokenized JSON Lines batch that every step sees), AdamW at a constant lr ${LR}, no weight decay, gradient clipping at 1.0, ` +
      'loss = mean next-token cross-entropy over the batch. tfjs: `runTraining` as the app runs it, step time = the time between ' +
      `successive \`onStep\` calls, median of ${runs} steps after ${WARMUP} warm-up step. PyTorch (bench/train_torch.py): the same model folder, ` +
      'the same Llama forward as bench/forward_torch.py with the LoRA branch written out, base weights requires_grad=False, torch.optim.AdamW, ' +
      `clip_grad_norm_; median of ${TORCH_RUNS} steps after ${TORCH_WARMUP} warm-up steps. tokens/s counts all ${tokens} tokens of the batch on both sides.`,
    '',
    `- Date: ${today()}`,
    `- Command: ${ARGS.given === '' ? `\`${COMMAND}\` (or \`npm run bench:train\`)` : `\`${COMMAND} ${ARGS.given}\``}`,
    ...machineLines(load),
    `- Load average when it ended: ${loadAtEnd.map((x) => x.toFixed(2)).join(', ')} (1, 5, 15 min); above ~0.5 other work shared the cores and the timings of both sides are skewed`,
    `- Node ${process.version}, @tensorflow/tfjs ${selection.tfjsVersion}, @tensorflow/tfjs-backend-wasm ${packageVersion('@tensorflow/tfjs-backend-wasm')}; ` +
      `backend ${selection.backend} (SIMD ${simd ? 'on' : 'off'}, ` +
      `${(selection.wasmThreads ?? 1) > 1 ? `threaded build, ${selection.wasmThreads} threads` : 'single-threaded build: one core'})`,
    `- PyTorch ${torch.torch} (Python ${torch.python}), ${torch.num_threads} threads (${torch.parallel_backend}), CPU capability ${torch.cpu_capability}; ` +
      `BLAS_INFO=${torch.blas_info}, mapped: ${torch.blas.libraries.join(', ')}` +
      (torch.blas.openblas_config ? ` (${torch.blas.openblas_config}; core ${torch.blas.openblas_core}, ${torch.blas.openblas_threads} threads)` : '') +
      `; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, OMP_NUM_THREADS=${torch.env.OMP_NUM_THREADS}, OPENBLAS_NUM_THREADS=${torch.env.OPENBLAS_NUM_THREADS}`,
    `- Model: Llama, vocab ${s.vocab}, hidden ${s.hidden}, ${s.layers} layers, ${s.heads} heads / ${s.kvHeads} KV heads, intermediate ${s.intermediate}, ` +
      `untied head: ${written.params.toLocaleString('en-US')} parameters (${mb(written.dataBytes)} F32); trainable: tfjs ${run.trainableParams.toLocaleString('en-US')}, ` +
      `PyTorch ${torch.trainable.toLocaleString('en-US')}; optimizer state ${(run.optimizerBytes / 1e3).toFixed(0)} kB`,
    '',
    '| | median s / step | tokens/s | forward s | backward s | cores used (CPU s / wall s) | steps (s) |',
    '|---|---|---|---|---|---|---|',
    `| tfjs ${selection.tfjsVersion}, wasm | ${tfStep.toFixed(3)} | ${tfTokens.toFixed(0)} | ${fwd.toFixed(2)} | ${bwd.toFixed(2)} | ${run.coresUsed.toFixed(2)} | ` +
      `${run.stepSeconds.map((t, i) => (i < WARMUP ? `(${t.toFixed(2)})` : t.toFixed(2))).join(', ')} |`,
    `| PyTorch ${torch.torch}, ${torch.num_threads} threads | ${torch.median_s.toFixed(3)} | ${torch.tokens_per_s.toFixed(0)} | ${torch.forward_median_s.toFixed(3)} | ` +
      `${torch.backward_median_s.toFixed(3)} | ${torch.cores_used.toFixed(2)} | ${torch.step_s.map((t) => t.toFixed(3)).join(', ')} |`,
    '',
    `- Ratio tfjs / PyTorch: **${ratio.toFixed(3)}×** (${ratio >= 1 ? `tfjs is ${ratio.toFixed(1)}× faster` : `PyTorch is ${(1 / ratio).toFixed(1)}× faster`}; ` +
      `the goal is ≥ 0.5×); cores used: tfjs ${run.coresUsed.toFixed(2)}, PyTorch ${torch.cores_used.toFixed(2)} (the goal for tfjs is ≥ 1.8 on 2 cores)`,
    `- tfjs forward and backward are timed apart outside the trainer on a fresh model with the trainer's own LoRA layers (median of ${DIAG_RUNS}): ` +
      `forward ${median(diag.forwardOnly).toFixed(2)} s without a gradient tape, ${fwd.toFixed(2)} s inside \`tf.variableGrads\`, backward ${bwd.toFixed(2)} s ` +
      `(${(bwd / fwd).toFixed(1)}× the forward; PyTorch ${(torch.backward_median_s / torch.forward_median_s).toFixed(1)}×); the rest of a trainer step ` +
      `(gradient scaling, clipping, AdamW, bookkeeping) ≈ step − forward − backward = ${(tfStep - fwd - bwd).toFixed(2)} s (near 0: within run-to-run noise).`,
    '',
    'Cross-check, identical weights and batch (PyTorch reads the same model folder and the trainer\'s initial adapter: the same A, B = 0):',
    '',
    '| | tfjs | PyTorch | abs. difference | rel. difference |',
    '|---|---|---|---|---|',
    check('step 1 loss (B = 0: the base model\'s loss)', run.losses[0]!, torch.losses[0]!),
    check('step 1 gradient norm (before clipping)', run.gradNorms[0]!, torch.grad_norms[0]!),
    check('step 2 loss (after one AdamW update)', run.losses[1]!, torch.losses[1]!),
    '',
    `Where the tfjs step's time goes: one forward+backward under \`tf.profile\` (${(profiled / 1000).toFixed(2)} s in kernels: forward ` +
      `${(diag.profiledMs.forward / 1000).toFixed(2)} s, backward ${(diag.profiledMs.backward / 1000).toFixed(2)} s), the ${top.length} costliest kernels:`,
    '',
    '| kernel | forward ms (calls) | backward ms (calls) | share | costliest input shapes (ms) |',
    '|---|---|---|---|---|',
    ...top.map(
      (k) =>
        `| ${k.name} | ${k.fwdMs.toFixed(0)} (${k.fwdCount}) | ${k.bwdMs.toFixed(0)} (${k.bwdCount}) | ${pct(k.fwdMs + k.bwdMs)} | ${k.topShapes} (${k.topShapesMs.toFixed(0)}) |`,
    ),
    '',
    'BatchMatMul (the kernel behind every tf.matMul on wasm) by input shapes, the costliest first; rank-4 inputs are attention\'s ' +
      'per-head products (models/decoder/attention.ts `scaledDotProduct` and their gradients in models/decoder/matmul.ts `matMulBoth`) ' +
      'and, against a 64×64 matrix, RoPE\'s rotate_half (models/decoder/rope.ts); rank-2 ones the linear layers, the LoRA branches and the LM head. ' +
      'On wasm every one of them runs on XNNPACK\'s 2-D path (src/main/engine/kernels/wasm-batch-matmul.ts):',
    '',
    '| input shapes | calls forward / backward | ms | share | GFLOP | GFLOP/s |',
    '|---|---|---|---|---|---|',
    ...diag.matmuls
      .slice(0, 10)
      .map(
        (m) =>
          `| ${m.shapes} | ${m.fwdCount} / ${m.bwdCount} | ${m.ms.toFixed(0)} | ${pct(m.ms)} | ${(m.flops * (m.fwdCount + m.bwdCount) / 1e9).toFixed(2)} | ` +
          `${m.flops > 0 ? ((m.flops * (m.fwdCount + m.bwdCount)) / 1e6 / m.ms).toFixed(1) : '?'} |`,
      ),
    ...matMulSummary(diag.matmuls, profiled),
  ].join('\n');
}

/** The section of a run on another backend: the trainer's steps and the cross-check, labelled with the backend and its adapter. */
function deviceReport(r: Pick<ReportInput, 'runs' | 'load' | 'written' | 'run' | 'torch'> & { selection: Awaited<ReturnType<typeof selectBackend>> }): string {
  const { selection, run, torch } = r;
  const timed = run.stepSeconds.slice(WARMUP);
  const step = median(timed);
  const software = selection.webgpu?.software ?? false;
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);
  const check = (label: string, a: number, b: number) =>
    `| ${label} | ${a.toFixed(7)} | ${b.toFixed(7)} | ${Math.abs(a - b).toExponential(2)} | ${rel(a, b).toExponential(2)} |`;
  return [
    `## LoRA training step on ${selection.backend}: tfjs vs PyTorch (CPU)`,
    '',
    `The training benchmark ("LoRA training step: tfjs (wasm) vs PyTorch (CPU)") on the ${selection.backend} backend: \`runTraining\` with LoRA r ${LORA.r} on ${LORA.targets.join(' and ')}, float32, ` +
      `batch ${BATCH} × ${SEQ} tokens, the same random Llama (${r.written.params.toLocaleString('en-US')} parameters); median of ${r.runs} timed ` +
      `step${r.runs > 1 ? 's' : ''} after ${WARMUP} warm-up step, and the same cross-check against PyTorch (the same model folder, initial adapter and batch).`,
    '',
    `- Date: ${today()}`,
    `- Command: \`${software ? 'EGL_PLATFORM=surfaceless ' : ''}${COMMAND} ${ARGS.given}\``,
    ...machineLines(r.load),
    `- Load average when it ended: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} (1, 5, 15 min)`,
    `- Node ${process.version}, @tensorflow/tfjs ${selection.tfjsVersion}`,
    ...backendLines(selection),
    `- PyTorch ${torch.torch} (Python ${torch.python}), ${torch.num_threads} threads, on the CPU`,
    '',
    '| | median s / step | tokens/s | steps (s) |',
    '|---|---|---|---|',
    `| tfjs ${selection.tfjsVersion}, ${selection.backend} | ${step.toFixed(3)} | ${((BATCH * SEQ) / step).toFixed(0)} | ` +
      `${run.stepSeconds.map((t, i) => (i < WARMUP ? `(${t.toFixed(2)})` : t.toFixed(2))).join(', ')} |`,
    `| PyTorch ${torch.torch}, ${torch.num_threads} threads | ${torch.median_s.toFixed(3)} | ${torch.tokens_per_s.toFixed(0)} | ${torch.step_s.map((t) => t.toFixed(3)).join(', ')} |`,
    '',
    `- Ratio tfjs on ${selection.backend} / PyTorch: ${(torch.median_s / step).toFixed(3)}×${software ? ' (a CPU emulation against a CPU: not a GPU speed)' : ''}`,
    '',
    '| | tfjs | PyTorch | abs. difference | rel. difference |',
    '|---|---|---|---|---|',
    check("step 1 loss (B = 0: the base model's loss)", run.losses[0]!, torch.losses[0]!),
    check('step 1 gradient norm (before clipping)', run.gradNorms[0]!, torch.grad_norms[0]!),
    check('step 2 loss (after one AdamW update)', run.losses[1]!, torch.losses[1]!),
    ...(selection.backend === 'webgpu' ? ['', `- ${NO_GPU_MACHINE_NOTE}`] : []),
  ].join('\n');
}

/** Attention's batched (rank ≥ 3) products against the 2-D ones: time, FLOPs and rate of each group. */
function matMulSummary(rows: MatMulRow[], profiledMs: number): string[] {
  const group = (batched: boolean) => {
    // Batched means a batch on the right-hand side: a batch against one matrix (RoPE's rotate_half) is one tall 2-D product.
    const sel = rows.filter((r) => (r.shapes.split(' · ')[1] ?? '').split('×').length > 2 === batched);
    const ms = sel.reduce((n, r) => n + r.ms, 0);
    const flops = sel.reduce((n, r) => n + r.flops * (r.fwdCount + r.bwdCount), 0);
    return { ms, flops, calls: sel.reduce((n, r) => n + r.fwdCount + r.bwdCount, 0) };
  };
  const b = group(true);
  const p = group(false);
  const line = (label: string, g: typeof b) =>
    `${label}: ${g.calls} calls, ${(g.ms / 1000).toFixed(2)} s (${((100 * g.ms) / profiledMs).toFixed(1)}% of the profiled step), ` +
    `${(g.flops / 1e9).toFixed(1)} GFLOP at ${(g.flops / 1e6 / Math.max(g.ms, 1e-9)).toFixed(1)} GFLOP/s`;
  return ['', `- ${line('Batched (attention) matMuls', b)}.`, `- ${line('2-D matMuls (linear layers, LoRA, LM head, RoPE)', p)}.`];
}

function packageVersion(name: string): string {
  const req = createRequire(__filename);
  return (JSON.parse(readFileSync(req.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

main(ARGS.runs).catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
