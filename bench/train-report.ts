// The BENCHMARKS.md sections of bench/train.ts: "train" (wasm: the trainer's steps,
// forward and backward apart, the cross-check with PyTorch and the kernel profile)
// and "train-<backend>" (another backend: the steps and the cross-check, labelled
// with the backend and its adapter). Not an entry point.
import os from 'node:os';
import type { BackendSelection } from '../src/main/engine/backend';
import { backendLines, NO_GPU_MACHINE_NOTE } from './backend-args';
import { kernelTable, matMulTable } from './kernel-profile';
import { LLAMA_17M } from './make-model';
import { machineLines, mb, median, packageVersion, today } from './report';
import type { TorchTrainResult } from './torch-train';
import type { Diagnostics } from './train-diagnostics';
import { COMMAND, DIAG_RUNS, LORA, LR, SEQ, TORCH_RUNS, TORCH_WARMUP, WARMUP } from './train-settings';

/** What bench/train.ts measured of the trainer (runTraining), step by step; the first WARMUP steps are warm-ups. */
export interface TfjsRun {
  stepSeconds: number[];
  losses: number[];
  gradNorms: number[];
  trainableParams: number;
  totalParams: number;
  optimizerBytes: number;
  coresUsed: number;
}

export interface ReportInput {
  runs: number;
  batch: number;
  /** The options as given on the command line ('' for the defaults). */
  given: string;
  load: number[];
  loadAtEnd: number[];
  written: { params: number; dataBytes: number };
  selection: { tfjsVersion: string; backend: string; wasmThreads: number | null };
  simd: boolean;
  run: TfjsRun;
  diag: Diagnostics;
  torch: TorchTrainResult;
}

export type DeviceReportInput = Pick<ReportInput, 'runs' | 'batch' | 'given' | 'load' | 'written' | 'run' | 'torch'> & { selection: BackendSelection };

export function report({ runs, batch, given, load, loadAtEnd, written, selection, simd, run, diag, torch }: ReportInput): string {
  const s = LLAMA_17M;
  const tokens = batch * SEQ;
  const timed = run.stepSeconds.slice(WARMUP);
  const tfStep = median(timed);
  const tfTokens = tokens / tfStep;
  const ratio = tfTokens / torch.tokens_per_s;
  const fwd = median(diag.forwardInGrad);
  const bwd = median(diag.backward);
  const profiled = diag.profiledMs.forward + diag.profiledMs.backward;
  const top = diag.kernels.slice(0, 12);
  return [
    '## LoRA training step: tfjs (wasm) vs PyTorch (CPU)',
    '',
    `LoRA r ${LORA.r} (alpha ${LORA.alpha}, no dropout) on ${LORA.targets.join(' and ')}, float32, batch ${batch} × ${SEQ} tokens (random ids, one ` +
      `pre-tokenized JSON Lines batch that every step sees), AdamW at a constant lr ${LR}, no weight decay, gradient clipping at 1.0, ` +
      'loss = mean next-token cross-entropy over the batch. tfjs: `runTraining` as the app runs it, step time = the time between ' +
      `successive \`onStep\` calls, median of ${runs} steps after ${WARMUP} warm-up step. PyTorch (bench/train_torch.py): the same model folder, ` +
      'the same Llama forward as bench/forward_torch.py with the LoRA branch written out, base weights requires_grad=False, torch.optim.AdamW, ' +
      `clip_grad_norm_; median of ${TORCH_RUNS} steps after ${TORCH_WARMUP} warm-up steps. tokens/s counts all ${tokens} tokens of the batch on both sides.`,
    '',
    `- Date: ${today()}`,
    `- Command: ${given === '' ? `\`${COMMAND}\` (or \`npm run bench:train\`)` : `\`${COMMAND} ${given}\``}`,
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
    `| tfjs ${selection.tfjsVersion}, wasm | ${tfStep.toFixed(3)} | ${tfTokens.toFixed(0)} | ${fwd.toFixed(2)} | ${bwd.toFixed(2)} | ${run.coresUsed.toFixed(2)} | ${stepList(run)} |`,
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
    ...crossCheck(run, torch),
    '',
    `Where the tfjs step's time goes: one forward+backward under \`tf.profile\` (${(profiled / 1000).toFixed(2)} s in kernels: forward ` +
      `${(diag.profiledMs.forward / 1000).toFixed(2)} s, backward ${(diag.profiledMs.backward / 1000).toFixed(2)} s), the ${top.length} costliest kernels:`,
    '',
    ...kernelTable(top, profiled),
    '',
    'BatchMatMul (the kernel behind every tf.matMul on wasm) by input shapes, the costliest first; rank-4 inputs are attention\'s ' +
      'per-head products (models/decoder/attention.ts `scaledDotProduct` and their gradients in models/decoder/matmul.ts `matMulBoth`) ' +
      'and, against a 64×64 matrix, RoPE\'s rotate_half (models/decoder/rope.ts); rank-2 ones the linear layers, the LoRA branches and the LM head. ' +
      'On wasm every one of them runs on XNNPACK\'s 2-D path (src/main/engine/kernels/wasm-batch-matmul.ts):',
    '',
    ...matMulTable(diag.matmuls, profiled),
  ].join('\n');
}

/** The section of a run on another backend: the trainer's steps and the cross-check, labelled with the backend and its adapter. */
export function deviceReport(r: DeviceReportInput): string {
  const { selection, run, torch } = r;
  const timed = run.stepSeconds.slice(WARMUP);
  const step = median(timed);
  const software = selection.webgpu?.software ?? false;
  return [
    `## LoRA training step on ${selection.backend}: tfjs vs PyTorch (CPU)`,
    '',
    `The training benchmark ("LoRA training step: tfjs (wasm) vs PyTorch (CPU)") on the ${selection.backend} backend: \`runTraining\` with LoRA r ${LORA.r} on ${LORA.targets.join(' and ')}, float32, ` +
      `batch ${r.batch} × ${SEQ} tokens, the same random Llama (${r.written.params.toLocaleString('en-US')} parameters); median of ${r.runs} timed ` +
      `step${r.runs > 1 ? 's' : ''} after ${WARMUP} warm-up step, and the same cross-check against PyTorch (the same model folder, initial adapter and batch).`,
    '',
    `- Date: ${today()}`,
    `- Command: \`${software ? 'EGL_PLATFORM=surfaceless ' : ''}${COMMAND} ${r.given}\``,
    ...machineLines(r.load),
    `- Load average when it ended: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} (1, 5, 15 min)`,
    `- Node ${process.version}, @tensorflow/tfjs ${selection.tfjsVersion}`,
    ...backendLines(selection),
    `- PyTorch ${torch.torch} (Python ${torch.python}), ${torch.num_threads} threads, on the CPU`,
    '',
    '| | median s / step | tokens/s | steps (s) |',
    '|---|---|---|---|',
    `| tfjs ${selection.tfjsVersion}, ${selection.backend} | ${step.toFixed(3)} | ${((r.batch * SEQ) / step).toFixed(0)} | ${stepList(run)} |`,
    `| PyTorch ${torch.torch}, ${torch.num_threads} threads | ${torch.median_s.toFixed(3)} | ${torch.tokens_per_s.toFixed(0)} | ${torch.step_s.map((t) => t.toFixed(3)).join(', ')} |`,
    '',
    `- Ratio tfjs on ${selection.backend} / PyTorch: ${(torch.median_s / step).toFixed(3)}×${software ? ' (a CPU emulation against a CPU: not a GPU speed)' : ''}`,
    '',
    ...crossCheck(run, torch),
    ...(selection.backend === 'webgpu' ? ['', `- ${NO_GPU_MACHINE_NOTE}`] : []),
  ].join('\n');
}

/** Every step's seconds, the warm-ups in parentheses. */
function stepList(run: TfjsRun): string {
  return run.stepSeconds.map((t, i) => (i < WARMUP ? `(${t.toFixed(2)})` : t.toFixed(2))).join(', ');
}

/** The table that sets the first losses and gradient norm of both sides side by side. */
function crossCheck(run: TfjsRun, torch: TorchTrainResult): string[] {
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);
  const check = (label: string, a: number, b: number) =>
    `| ${label} | ${a.toFixed(7)} | ${b.toFixed(7)} | ${Math.abs(a - b).toExponential(2)} | ${rel(a, b).toExponential(2)} |`;
  return [
    '| | tfjs | PyTorch | abs. difference | rel. difference |',
    '|---|---|---|---|---|',
    check("step 1 loss (B = 0: the base model's loss)", run.losses[0]!, torch.losses[0]!),
    check('step 1 gradient norm (before clipping)', run.gradNorms[0]!, torch.grad_norms[0]!),
    check('step 2 loss (after one AdamW update)', run.losses[1]!, torch.losses[1]!),
  ];
}
