// Forward-pass throughput, LoRA Lab's engine against PyTorch on the same model:
// writes a random 17M-parameter Llama folder, loads it with loadModel on the wasm
// backend, times inference at batch 8 × 256 tokens (warm-up, then the median of
// timed runs), runs bench/forward_torch.py on the same folder with the same timing
// method (float32, no_grad, 2 threads), checks that both give the same logits on a
// small padded batch, and writes the "forward" section of BENCHMARKS.md.
// Run: npx tsx bench/forward.ts        (or: npm run bench:forward; 1–2 minutes)
//      npx tsx bench/forward.ts --backend webgpu [--runs N] [--batch N]   (another
//      backend, its own section "forward-<backend>", labelled with the adapter; on
//      Mesa's llvmpipe set EGL_PLATFORM=surfaceless, and expect minutes per forward)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { selectBackend } from '../src/main/engine/backend';
import { loadModel } from '../src/main/engine/models/load-model';
import { backendLines, NO_GPU_MACHINE_NOTE, parseBenchArgs, settle } from './backend-args';
import { LLAMA_17M, mulberry32, writeRandomLlama } from './make-model';
import { loadAverage, machineLines, mb, median, packageVersion, today, writeSection, type TorchEnvironment } from './report';

const COMMAND = 'npx tsx bench/forward.ts';
const ARGS = parseBenchArgs(process.argv.slice(2), { runs: 7, batch: 8 }, COMMAND) ?? process.exit(1);
const BATCH = ARGS.batch;
const SEQ = 256;
const WARMUP = ARGS.backend === 'wasm' ? 2 : 1;
const RUNS = ARGS.runs;
const THREADS = 2;
const CHECK = { batch: 2, seq: 64, padFrom: 40 }; // row 1 is right-padded from position 40
const PYTHON = '/usr/bin/python3';

interface TorchResult extends TorchEnvironment {
  times_s: number[];
  /** CPU seconds over wall seconds in the timed runs: near THREADS when nothing else competes. */
  cores_used: number;
  median_s: number;
  tokens_per_s: number;
}

async function main(): Promise<void> {
  const load = loadAverage();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'loralab-bench-forward-'));
  try {
    // 1. The model, as float32 so both sides start from identical weights.
    const dir = path.join(tmp, 'model');
    const written = writeRandomLlama(dir, LLAMA_17M, { dtype: 'F32', seed: 0 });
    console.error(`model: ${written.params} parameters, ${mb(written.dataBytes)} F32 in ${dir}`);

    // 2. Inputs: random ids for timing; a small batch with padding for the check.
    const next = mulberry32(1234);
    const randomIds = (b: number, t: number) =>
      Array.from({ length: b }, () => Array.from({ length: t }, () => Math.floor(next() * LLAMA_17M.vocab)));
    const ids = randomIds(BATCH, SEQ);
    const mask = ids.map((row) => row.map(() => 1));
    const checkIds = randomIds(CHECK.batch, CHECK.seq);
    const checkMask = checkIds.map((row, b) => row.map((_, t) => (b === 1 && t >= CHECK.padFrom ? 0 : 1)));
    checkIds[1]!.fill(0, CHECK.padFrom); // pad id 0, as the engine's batches pad

    // 3. tfjs on wasm (or the backend asked for).
    const selection = await selectBackend({ prefer: ARGS.backend });
    const tf = selection.tf;
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const t0 = performance.now();
    const { model } = loadModel(tf, dir);
    const loadSeconds = (performance.now() - t0) / 1000;
    const numParams = model.numParams();
    const tfTimes: number[] = [];
    let tfCpu = 0;
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const cpu0 = process.cpuUsage();
      const start = performance.now();
      const logits = model.forward(ids, mask); // the wasm backend computes eagerly: done on return
      await settle(tf, logits); // webgpu only queues the work: wait for it
      const seconds = (performance.now() - start) / 1000;
      const cpu = process.cpuUsage(cpu0);
      logits.dispose();
      if (i >= WARMUP) {
        tfTimes.push(seconds);
        tfCpu += (cpu.user + cpu.system) / 1e6;
      }
      console.error(`tfjs run ${i + 1}/${WARMUP + RUNS}${i < WARMUP ? ' (warm-up)' : ''}: ${seconds.toFixed(2)} s`);
    }
    const checkTensor = model.forward(checkIds, checkMask);
    const tfCheck = (await checkTensor.data()) as Float32Array;
    checkTensor.dispose();
    model.dispose();
    const tfSeconds = median(tfTimes);
    const tfCores = tfCpu / tfTimes.reduce((a, b) => a + b, 0);

    // 4. PyTorch on the same folder and inputs.
    const inputs = path.join(tmp, 'inputs.json');
    const checkOut = path.join(tmp, 'torch-check.f32');
    writeFileSync(inputs, JSON.stringify({ ids, mask, check_ids: checkIds, check_mask: checkMask }));
    const torch = runTorch(dir, inputs, checkOut);
    if (torch.cores_used < THREADS - 0.2) {
      console.error(`warning: PyTorch kept only ${torch.cores_used.toFixed(2)} of ${THREADS} cores busy: other work competed for the CPU`);
    }
    const torchCheck = new Float32Array(readFileSync(checkOut).buffer.slice(0));

    // 5. Agreement on the real (unpadded) positions.
    const agreement = compare(tfCheck, torchCheck, checkMask, LLAMA_17M.vocab);
    const tfTokens = (BATCH * SEQ) / tfSeconds;
    const ratio = tfTokens / torch.tokens_per_s;

    const s = LLAMA_17M;
    const fmt = (x: number) => x.toFixed(0);
    const body = [
      '## Forward pass: tfjs (wasm) vs PyTorch (CPU)',
      '',
      `Inference (no gradients), float32, batch ${BATCH} × ${SEQ} tokens, a random Llama with the engine's own loader; ` +
        `median of ${RUNS} timed runs after ${WARMUP} warm-up runs, wall clock around the forward call on both sides. ` +
        `"Cores used" is CPU time over wall time in the timed runs: up to the thread count on both sides (wasm: its threaded build, ` +
        `one thread per core; PyTorch: ${THREADS} threads) when nothing else competes for the CPU (less means the figures are skewed).`,
      '',
      `- Date: ${today()}`,
      `- Command: ${ARGS.given === '' ? `\`${COMMAND}\` (or \`npm run bench:forward\`)` : `\`${COMMAND} ${ARGS.given}\``}`,
      ...machineLines(load),
      `- Node ${process.version}, @tensorflow/tfjs ${selection.tfjsVersion}, @tensorflow/tfjs-backend-wasm ${packageVersion('@tensorflow/tfjs-backend-wasm')}; ` +
        `backend ${selection.backend} (SIMD ${simd ? 'on' : 'off'}, ` +
        `${(selection.wasmThreads ?? 1) > 1 ? `threaded build, ${selection.wasmThreads} threads` : 'single-threaded build: one core'})`,
      `- Load average when it ended: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} (1, 5, 15 min)`,
      `- PyTorch ${torch.torch} (Python ${torch.python}), ${torch.num_threads} threads (${torch.parallel_backend}), CPU capability ${torch.cpu_capability}; ` +
        `BLAS_INFO=${torch.blas_info}, mapped: ${torch.blas.libraries.join(', ')}` +
        (torch.blas.openblas_config ? ` (${torch.blas.openblas_config}; core ${torch.blas.openblas_core}, ${torch.blas.openblas_threads} threads)` : '') +
        `; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, OMP_NUM_THREADS=${torch.env.OMP_NUM_THREADS}, OPENBLAS_NUM_THREADS=${torch.env.OPENBLAS_NUM_THREADS}`,
      `- Model: Llama, vocab ${s.vocab}, hidden ${s.hidden}, ${s.layers} layers, ${s.heads} heads / ${s.kvHeads} KV heads, ` +
        `intermediate ${s.intermediate}, untied head: **${written.params.toLocaleString('en-US')} parameters** ` +
        `(model.numParams() ${numParams.toLocaleString('en-US')}), ${mb(written.dataBytes)} F32; tfjs load ${loadSeconds.toFixed(1)} s`,
      '',
      '| | median s / forward | tokens/s | cores used (CPU s / wall s) | runs (s) |',
      '|---|---|---|---|---|',
      `| tfjs ${selection.tfjsVersion}, wasm | ${tfSeconds.toFixed(3)} | ${fmt(tfTokens)} | ${tfCores.toFixed(2)} | ${tfTimes.map((t) => t.toFixed(2)).join(', ')} |`,
      `| PyTorch ${torch.torch}, ${torch.num_threads} threads | ${torch.median_s.toFixed(3)} | ${fmt(torch.tokens_per_s)} | ${torch.cores_used.toFixed(2)} | ${torch.times_s.map((t) => t.toFixed(3)).join(', ')} |`,
      '',
      `- Ratio tfjs / PyTorch: **${ratio.toFixed(3)}×** (${ratio >= 1 ? `tfjs is ${ratio.toFixed(1)}× faster` : `PyTorch is ${(1 / ratio).toFixed(1)}× faster`}; the goal is ≥ 0.5×)`,
      `- Logits agreement (batch ${CHECK.batch} × ${CHECK.seq}, row 2 right-padded from position ${CHECK.padFrom}; ` +
        `${agreement.positions} real positions × ${s.vocab}): max |tfjs − torch| = ${agreement.maxAbs.toExponential(2)}, ` +
        `largest |logit| ${agreement.maxLogit.toFixed(3)}, same argmax at ${agreement.sameArgmax}/${agreement.positions} positions`,
    ].join('\n');
    if (selection.backend !== 'wasm') {
      const other = deviceBody({ selection, load, loadSeconds, written, tfSeconds, tfTimes, tfTokens, torch, ratio, agreement });
      writeSection(`forward-${selection.backend}`, other);
      console.log(other);
      return;
    }
    writeSection('forward', body);
    console.log(body);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The section of a run on another backend: the same measurement, labelled with the backend and its adapter. */
function deviceBody(r: {
  selection: Awaited<ReturnType<typeof selectBackend>>;
  load: number[];
  loadSeconds: number;
  written: { params: number; dataBytes: number };
  tfSeconds: number;
  tfTimes: number[];
  tfTokens: number;
  torch: TorchResult;
  ratio: number;
  agreement: ReturnType<typeof compare>;
}): string {
  const { selection, torch, agreement } = r;
  const software = selection.webgpu?.software ?? false;
  return [
    `## Forward pass on ${selection.backend}: tfjs vs PyTorch (CPU)`,
    '',
    `The forward benchmark ("Forward pass: tfjs (wasm) vs PyTorch (CPU)") on the ${selection.backend} backend: inference, float32, batch ${BATCH} × ${SEQ} tokens, the same random Llama ` +
      `(${r.written.params.toLocaleString('en-US')} parameters, ${mb(r.written.dataBytes)} F32); median of ${RUNS} timed run${RUNS > 1 ? 's' : ''} after ${WARMUP} ` +
      `warm-up, each ended by reading one logit back (the queue runs in order, so that is the end of the work).`,
    '',
    `- Date: ${today()}`,
    `- Command: \`${software ? 'EGL_PLATFORM=surfaceless ' : ''}${COMMAND} ${ARGS.given}\``,
    ...machineLines(r.load),
    `- Load average when it ended: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} (1, 5, 15 min)`,
    `- Node ${process.version}, @tensorflow/tfjs ${selection.tfjsVersion}; tfjs load ${r.loadSeconds.toFixed(1)} s`,
    ...backendLines(selection),
    `- PyTorch ${torch.torch} (Python ${torch.python}), ${torch.num_threads} threads, on the CPU`,
    '',
    '| | median s / forward | tokens/s | runs (s) |',
    '|---|---|---|---|',
    `| tfjs ${selection.tfjsVersion}, ${selection.backend} | ${r.tfSeconds.toFixed(3)} | ${r.tfTokens.toFixed(0)} | ${r.tfTimes.map((t) => t.toFixed(2)).join(', ')} |`,
    `| PyTorch ${torch.torch}, ${torch.num_threads} threads | ${torch.median_s.toFixed(3)} | ${torch.tokens_per_s.toFixed(0)} | ${torch.times_s.map((t) => t.toFixed(3)).join(', ')} |`,
    '',
    `- Ratio tfjs on ${selection.backend} / PyTorch: ${r.ratio.toFixed(3)}×${software ? ' (a CPU emulation against a CPU: not a GPU speed)' : ''}`,
    `- Logits agreement with PyTorch (batch ${CHECK.batch} × ${CHECK.seq}, row 2 right-padded from position ${CHECK.padFrom}; ` +
      `${agreement.positions} real positions × ${LLAMA_17M.vocab}): max |tfjs − torch| = ${agreement.maxAbs.toExponential(2)}, ` +
      `largest |logit| ${agreement.maxLogit.toFixed(3)}, same argmax at ${agreement.sameArgmax}/${agreement.positions} positions`,
    ...(selection.backend === 'webgpu' ? [`- ${NO_GPU_MACHINE_NOTE}`] : []),
  ].join('\n');
}

function runTorch(dir: string, inputs: string, checkOut: string): TorchResult {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(THREADS), OPENBLAS_NUM_THREADS: String(THREADS) };
  // The machine sets these for other programs; with them OpenBLAS picks slower kernels.
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const script = path.join(__dirname, 'forward_torch.py');
  const args = [script, dir, inputs, checkOut, '--threads', String(THREADS), '--warmup', String(WARMUP), '--runs', String(RUNS)];
  const r = spawnSync(PYTHON, args, { env, encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.error) throw new Error(`could not run ${PYTHON}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${PYTHON} ${path.basename(script)} failed (exit ${r.status}):\n${r.stderr}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as TorchResult;
}

function compare(a: Float32Array, b: Float32Array, mask: number[][], vocab: number) {
  if (a.length !== b.length) throw new Error(`check logits differ in size: tfjs ${a.length}, torch ${b.length}`);
  let maxAbs = 0;
  let maxLogit = 0;
  let positions = 0;
  let sameArgmax = 0;
  const seq = mask[0]!.length;
  mask.forEach((row, bi) =>
    row.forEach((m, t) => {
      if (m !== 1) return;
      positions++;
      const base = (bi * seq + t) * vocab;
      let argA = 0;
      let argB = 0;
      for (let v = 0; v < vocab; v++) {
        const x = a[base + v]!;
        const y = b[base + v]!;
        maxAbs = Math.max(maxAbs, Math.abs(x - y));
        maxLogit = Math.max(maxLogit, Math.abs(y));
        if (x > a[base + argA]!) argA = v;
        if (y > b[base + argB]!) argB = v;
      }
      if (argA === argB) sameArgmax++;
    }),
  );
  return { maxAbs, maxLogit, positions, sameArgmax };
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
