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
// The parts: bench/train-settings.ts (the fixed settings), bench/train-diagnostics.ts
// (forward and backward apart, the kernel profile of bench/kernel-profile.ts),
// bench/torch-train.ts (the PyTorch side), bench/train-report.ts (the sections).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runConfigSchema, type RunConfig } from '../src/shared/config/run-config';
import { selectBackend, type Tf } from '../src/main/engine/backend';
import { runTraining } from '../src/main/engine/train/trainer';
import { parseBenchArgs } from './backend-args';
import { LLAMA_17M, mulberry32, writeRandomLlama } from './make-model';
import { loadAverage, mb, writeSection } from './report';
import { runTorchTraining } from './torch-train';
import { diagnose } from './train-diagnostics';
import { deviceReport, report, type TfjsRun } from './train-report';
import { COMMAND, LORA, LR, SEQ, THREADS, TORCH_RUNS, TORCH_WARMUP, WARMUP } from './train-settings';

const DEFAULT_RUNS = 5;
const ARGS = parseBenchArgs(process.argv.slice(2), { runs: DEFAULT_RUNS, batch: 8 }, COMMAND) ?? process.exit(1);
const BATCH = ARGS.batch;

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
    const torch = runTorchTraining({
      method: 'lora',
      model: dir,
      adapter: adapterDir,
      batch: batchFile,
      threads: THREADS,
      warmup: TORCH_WARMUP,
      runs: TORCH_RUNS,
      lr: LR,
      maxGradNorm: 1.0,
    });
    if (torch.cores_used < THREADS - 0.2) {
      console.error(`warning: PyTorch kept only ${torch.cores_used.toFixed(2)} of ${THREADS} cores busy: other work competed for the CPU`);
    }

    if (!diag) {
      const other = deviceReport({ runs, batch: BATCH, given: ARGS.given, load, written, selection, run, torch });
      writeSection(`train-${selection.backend}`, other);
      console.log(other);
      return;
    }
    if (run.coresUsed < 0.9 * (selection.wasmThreads ?? 1)) {
      console.error(`warning: tfjs kept only ${run.coresUsed.toFixed(2)} of its ${selection.wasmThreads} threads' cores busy: other work competed for the CPU`);
    }
    const body = report({ runs, batch: BATCH, given: ARGS.given, load, loadAtEnd: os.loadavg(), written, selection, simd: Boolean(simd), run, diag, torch });
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

main(ARGS.runs).catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
