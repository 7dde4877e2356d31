// Greedy decoding with the key/value cache, LoRA Lab's generation path against
// PyTorch's on the same model: writes a random 17M-parameter Llama folder (float32),
// opens it as the generate job does (infer/session.ts openModelSession on the wasm
// backend) and decodes one prompt with infer/generate.ts generate() at temperature 0
// (warm-up, then timed runs; the prefill is the time to the first token, decode
// every later one), then runs bench/generate_torch.py on the same folder and prompt
// (the same Llama forward with a concatenated key/value cache, 2 threads, OpenBLAS),
// checks that both decode the same tokens, and writes the "generate" section of
// BENCHMARKS.md.
// Run: npx tsx bench/generate.ts        (or: npm run bench:generate; about 1 minute)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { selectBackend } from '../src/main/engine/backend';
import { generate } from '../src/main/engine/infer/generate';
import { openModelSession } from '../src/main/engine/infer/session';
import { LLAMA_17M, mulberry32, writeRandomLlama } from './make-model';
import { loadAverage, machineLines, mb, median, packageVersion, today, writeSection, type TorchEnvironment } from './report';

const PROMPT = 64;
const NEW_TOKENS = 128;
const WARMUP = 1;
const RUNS = 3;
const THREADS = 2;
const PYTHON = '/usr/bin/python3';
const COMMAND = 'npx tsx bench/generate.ts';

interface TorchResult extends TorchEnvironment {
  tokens: number[];
  /** Top-1 minus top-2 logit at each decoded token: how close greedy came to a tie there. */
  gaps: number[];
  prefill_s: number[];
  decode_s: number[];
  prefill_median_s: number;
  decode_median_s: number;
  decode_tokens_per_s: number;
  cores_used: number;
}

interface EngineRun {
  tokens: number[];
  prefill: number;
  decode: number;
  cpu: number;
}

async function main(): Promise<void> {
  const load = loadAverage();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'loralab-bench-generate-'));
  try {
    // 1. The model, float32 so both sides start from identical weights, and one prompt of random ids.
    const dir = path.join(tmp, 'model');
    const written = writeRandomLlama(dir, LLAMA_17M, { dtype: 'F32', seed: 0 });
    console.error(`model: ${written.params} parameters, ${mb(written.dataBytes)} F32 in ${dir}`);
    const next = mulberry32(2468);
    const prompt = Array.from({ length: PROMPT }, () => Math.floor(next() * LLAMA_17M.vocab));

    // 2. LoRA Lab: the generate job's session and generate(), greedy.
    // The session selects the backend itself; selecting it first only reads the thread count (the same backend, initialised once).
    const threads = (await selectBackend({ prefer: 'wasm' })).wasmThreads;
    const session = await openModelSession({ model: dir, adapter: null, quantize: null, doubleQuant: false, backend: 'wasm' });
    const { tf } = session;
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const runs: EngineRun[] = [];
    let tensorsBefore = 0;
    let tensorsAfter = 0;
    try {
      for (let i = 0; i < WARMUP + RUNS; i++) {
        if (i === WARMUP) tensorsBefore = tf.memory().numTensors;
        const run = await decodeOnce(session.loaded.model, prompt);
        if (runs.length > 0 && run.tokens.join() !== runs[0]!.tokens.join()) throw new Error(`engine run ${i + 1} decoded different tokens than run 1`);
        console.error(`tfjs run ${i + 1}/${WARMUP + RUNS}${i < WARMUP ? ' (warm-up)' : ''}: prefill ${run.prefill.toFixed(3)} s, decode ${run.decode.toFixed(3)} s`);
        runs.push(run);
      }
      tensorsAfter = tf.memory().numTensors;
    } finally {
      session.close();
    }
    const timed = runs.slice(WARMUP);

    // 3. PyTorch on the same folder and prompt.
    const promptFile = path.join(tmp, 'prompt.json');
    writeFileSync(promptFile, JSON.stringify({ ids: prompt }));
    const torch = runTorch(dir, promptFile);
    if (torch.cores_used < THREADS - 0.2) {
      console.error(`warning: PyTorch kept only ${torch.cores_used.toFixed(2)} of ${THREADS} cores busy: other work competed for the CPU`);
    }

    const body = report({ load, written, selectionDescription: session.description, simd: Boolean(simd), threads, timed, torch, tensorsBefore, tensorsAfter });
    writeSection('generate', body);
    console.log(body);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** One greedy generation from an empty cache, with the time to the first token and to the last. */
async function decodeOnce(model: Parameters<typeof generate>[0], prompt: number[]): Promise<EngineRun> {
  const stamps: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const tokens = await generate(model, prompt, {
    maxNewTokens: NEW_TOKENS,
    temperature: 0,
    topP: 1,
    seed: 0,
    stopIds: [],
    onToken: () => stamps.push((performance.now() - t0) / 1000),
    // What the engine process passes (process.ts): a macrotask turn at most every 50 ms.
    yieldToEventLoop: yieldEvery50ms(),
  });
  const cpu = process.cpuUsage(cpu0);
  if (tokens.length !== NEW_TOKENS) throw new Error(`generate returned ${tokens.length} tokens; expected ${NEW_TOKENS}`);
  return { tokens, prefill: stamps[0]!, decode: stamps.at(-1)! - stamps[0]!, cpu: (cpu.user + cpu.system) / 1e6 };
}

function yieldEvery50ms(): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (Date.now() - last < 50) return;
    await new Promise((resolve) => setImmediate(resolve));
    last = Date.now();
  };
}

function runTorch(dir: string, promptFile: string): TorchResult {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(THREADS), OPENBLAS_NUM_THREADS: String(THREADS) };
  // The machine sets these for other programs; with them OpenBLAS picks slower kernels.
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const script = path.join(__dirname, 'generate_torch.py');
  const args = [script, dir, promptFile, '--threads', String(THREADS), '--new-tokens', String(NEW_TOKENS), '--warmup', String(WARMUP), '--runs', String(RUNS)];
  const r = spawnSync(PYTHON, args, { env, encoding: 'utf8', maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.error) throw new Error(`could not run ${PYTHON}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${PYTHON} ${path.basename(script)} failed (exit ${r.status})`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as TorchResult;
}

interface ReportInput {
  load: number[];
  written: { params: number; dataBytes: number };
  selectionDescription: string;
  simd: boolean;
  threads: number | null;
  timed: EngineRun[];
  torch: TorchResult;
  tensorsBefore: number;
  tensorsAfter: number;
}

function report({ load, written, selectionDescription, simd, threads, timed, torch, tensorsBefore, tensorsAfter }: ReportInput): string {
  const s = LLAMA_17M;
  const decodeTokens = NEW_TOKENS - 1;
  const tfPrefill = median(timed.map((r) => r.prefill));
  const tfDecode = median(timed.map((r) => r.decode));
  const tfRate = decodeTokens / tfDecode;
  const tfCores = timed.reduce((n, r) => n + r.cpu, 0) / timed.reduce((n, r) => n + r.prefill + r.decode, 0);
  const ratio = tfRate / torch.decode_tokens_per_s;
  const ours = timed[0]!.tokens;
  const firstDiff = ours.findIndex((id, i) => id !== torch.tokens[i]);
  const same = firstDiff < 0 ? ours.length : firstDiff;
  const minGap = Math.min(...torch.gaps.slice(0, same));
  const row = (label: string, prefill: number, decode: number, rate: number, cores: number, runs: string) =>
    `| ${label} | ${prefill.toFixed(3)} | ${((PROMPT / prefill) | 0).toLocaleString('en-US')} | ${decode.toFixed(3)} | ${(1000 / rate).toFixed(2)} | **${rate.toFixed(1)}** | ${cores.toFixed(2)} | ${runs} |`;
  return [
    '## Greedy generation with the key/value cache: LoRA Lab (wasm) vs PyTorch (CPU)',
    '',
    `One prompt of ${PROMPT} random token ids, ${NEW_TOKENS} new tokens at temperature 0 (greedy), batch 1, float32, a random Llama. ` +
      "LoRA Lab: the generate job's path, `openModelSession` (src/main/engine/infer/session.ts) then `generate` " +
      '(src/main/engine/infer/generate.ts): the prompt in one forward that fills the cache, then one token per forward, each ' +
      "token's logits read back to choose it. PyTorch (bench/generate_torch.py): the same Llama forward as bench/forward_torch.py " +
      "with a cache that grows by `torch.cat` each step, as transformers' DynamicCache does, under `torch.no_grad()`. " +
      `Both sides: prefill = the time to the first new token (the prompt's forward and its choice), decode = the ${decodeTokens} tokens after it; ` +
      `each run starts from an empty cache; median of ${RUNS} runs after ${WARMUP} warm-up run. ` +
      '"Cores used" is CPU time over wall time of the timed runs.',
    '',
    `- Date: ${today()}`,
    `- Command: \`${COMMAND}\` (or \`npm run bench:generate\`)`,
    ...machineLines(load),
    `- Load average when it ended: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} (1, 5, 15 min)`,
    `- Node ${process.version}, @tensorflow/tfjs-backend-wasm ${packageVersion('@tensorflow/tfjs-backend-wasm')} (SIMD ${simd ? 'on' : 'off'}, ` +
      `${(threads ?? 1) > 1 ? `threaded build, ${threads} threads` : 'one thread'}); session: ${selectionDescription}`,
    `- PyTorch ${torch.torch} (Python ${torch.python}), ${torch.num_threads} threads (${torch.parallel_backend}), CPU capability ${torch.cpu_capability}; ` +
      `BLAS_INFO=${torch.blas_info}` +
      (torch.blas.openblas_config ? ` (${torch.blas.openblas_config}; core ${torch.blas.openblas_core}, ${torch.blas.openblas_threads} threads)` : '') +
      `; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, OMP_NUM_THREADS=${torch.env.OMP_NUM_THREADS}, OPENBLAS_NUM_THREADS=${torch.env.OPENBLAS_NUM_THREADS}`,
    `- Model: Llama, vocab ${s.vocab}, hidden ${s.hidden}, ${s.layers} layers, ${s.heads} heads / ${s.kvHeads} KV heads, intermediate ${s.intermediate}, ` +
      `untied head: ${written.params.toLocaleString('en-US')} parameters (${mb(written.dataBytes)} F32: every decoded token reads all of it once)`,
    '',
    '| | prefill s (median) | prompt tokens/s | decode s (median) | ms / token | decode tokens/s | cores used | runs: prefill + decode (s) |',
    '|---|---|---|---|---|---|---|---|',
    row('LoRA Lab (tfjs, wasm)', tfPrefill, tfDecode, tfRate, tfCores, timed.map((r) => `${r.prefill.toFixed(3)} + ${r.decode.toFixed(3)}`).join(', ')),
    row(
      `PyTorch ${torch.torch}, ${torch.num_threads} threads`,
      torch.prefill_median_s,
      torch.decode_median_s,
      torch.decode_tokens_per_s,
      torch.cores_used,
      torch.prefill_s.map((p, i) => `${p.toFixed(3)} + ${torch.decode_s[i]!.toFixed(3)}`).join(', '),
    ),
    '',
    `- Decode ratio LoRA Lab / PyTorch: **${ratio.toFixed(2)}×** (${ratio >= 1 ? `LoRA Lab is ${ratio.toFixed(1)}× faster` : `PyTorch is ${(1 / ratio).toFixed(1)}× faster`})`,
    `- Same greedy tokens: **${firstDiff < 0 ? 'yes' : 'no'}**, ${same}/${NEW_TOKENS} ` +
      `${firstDiff < 0 ? 'identical' : `identical before token ${firstDiff + 1} (LoRA Lab ${ours[firstDiff]}, PyTorch ${torch.tokens[firstDiff]}; top-2 gap there ${torch.gaps[firstDiff]!.toExponential(2)})`}; ` +
      `the closest call among them: a top-1 − top-2 logit gap of ${minGap.toExponential(2)}`,
    `- Tensors held by tfjs before and after the timed runs: ${tensorsBefore} and ${tensorsAfter} (the cache is freed after every generation)`,
  ].join('\n');
}

if (process.argv.length > 2) {
  console.error(`usage: ${COMMAND}`);
  process.exit(1);
}
main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
