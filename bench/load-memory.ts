// Peak memory while loading a model: writes a random ≈245M-parameter Llama as
// float16 (≈491 MB, three shards of ≤ 200 MB plus the index), then loads it with
// loadModel on the wasm backend in a fresh child process and measures the peak
// resident set above the child's baseline (taken after tfjs and the wasm backend
// are initialised): RSS sampled every 2 ms from a worker thread (loading is
// synchronous, so the main thread cannot sample), and VmHWM from /proc/self/status,
// reset right before loading. The bound checked is
//   peak − baseline ≤ float32 size of the weights + float32 size of the largest tensor + 300 MB,
// and the result goes into the "load-memory" section of BENCHMARKS.md.
// Run: npx tsx bench/load-memory.ts      (or: npm run bench:load-memory; about 30 s)
//      npx tsx bench/load-memory.ts --preset llama-wide-head   (a 128000×1024 untied head; printed
//      only, BENCHMARKS.md keeps the default model's section)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { selectBackend } from '../src/main/engine/backend';
import { loadModel } from '../src/main/engine/models/load-model';
import { PRESETS, writeRandomLlama, type LlamaShape, type WrittenModel } from './make-model';
import { loadAverage, machineLines, mb, MB, today, writeSection } from './report';

const MAX_SHARD_BYTES = 200_000_000;
const SLACK_BYTES = 300 * MB;
const SAMPLE_MS = 2;
const COMMAND = 'npx tsx bench/load-memory.ts';
const DEFAULT_PRESET = 'llama-250m';

/** What the child reports, in bytes. */
interface ChildResult {
  baselineRss: number;
  /** process.memoryUsage() and the wasm heap size at the baseline. */
  baseline: { heapUsed: number; arrayBuffers: number; wasmHeap: number };
  sampledPeakRss: number;
  samples: number;
  vmHwm: number;
  hwmReset: boolean;
  rssAfter: number;
  loadSeconds: number;
  params: number;
  tfBytes: number;
  wasmHeap: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** [ms since load start, rss] every few samples: where the memory climbs. */
  timeline: [number, number][];
  tfVersion: string;
}

// ---------------------------------------------------------------------------------------------
// Parent: make the checkpoint, run the child, judge and report.

function parent(presetName: string): void {
  const shape = PRESETS[presetName];
  if (!shape) throw new Error(`--preset must be one of ${Object.keys(PRESETS).join(', ')}; got '${presetName}'`);
  const load = loadAverage();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'loralab-bench-load-memory-'));
  try {
    const dir = path.join(tmp, 'model');
    const t0 = performance.now();
    const written = writeRandomLlama(dir, shape, { dtype: 'F16', seed: 0, maxShardBytes: MAX_SHARD_BYTES });
    const writeSeconds = (performance.now() - t0) / 1000;
    console.error(`model: ${written.params} parameters, ${mb(written.dataBytes)} F16 in ${written.files.length} shards (${writeSeconds.toFixed(1)} s)`);

    const resultFile = path.join(tmp, 'child.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', dir, resultFile], {
      cwd: path.join(__dirname, '..'), // where --import tsx resolves
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`the loading child failed (exit ${r.status}, signal ${r.signal})`);
    const child = JSON.parse(readFileSync(resultFile, 'utf8')) as ChildResult;
    const step = Math.max(1, Math.floor(child.timeline.length / 20));
    const trace = child.timeline.filter((_, i) => i % step === 0 || i === child.timeline.length - 1);
    console.error(`RSS during loading (ms: MB): ${trace.map(([t, rss]) => `${t}: ${(rss / MB).toFixed(0)}`).join(', ')}`);
    const body = report(presetName, shape, written, child, load);
    if (presetName === DEFAULT_PRESET) writeSection('load-memory', body);
    else console.error(`(--preset ${presetName}: not written to BENCHMARKS.md)`);
    console.log(body);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function report(presetName: string, s: LlamaShape, w: WrittenModel, c: ChildResult, load: number[]): string {
  const f32Weights = w.params * 4;
  const f32Largest = w.largest.elements * 4;
  const bound = f32Weights + f32Largest + SLACK_BYTES;
  const peak = Math.max(c.sampledPeakRss, c.vmHwm);
  const over = peak - c.baselineRss;
  const holds = over <= bound;
  const rest =
    c.rssAfter - c.baselineRss - (c.wasmHeap - c.baseline.wasmHeap) - (c.arrayBuffers - c.baseline.arrayBuffers) - (c.heapUsed - c.baseline.heapUsed);
  const shardSizes = w.files.map((f) => mb(readSizes(f))).join(', ');
  return [
    '## Peak memory while loading a float16 checkpoint',
    '',
    'A fresh child process (`node --import tsx`) initialises tfjs on the wasm backend, takes its baseline RSS, then runs ' +
      '`loadModel` on a sharded float16 checkpoint. The peak is the larger of the RSS sampled every ' +
      `${SAMPLE_MS} ms from a worker thread and VmHWM (peak RSS, ${c.hwmReset ? 'reset through /proc/self/clear_refs right before loading' : 'not resettable here, so lifetime peak'}).`,
    '',
    `- Date: ${today()}`,
    `- Command: \`${presetName === DEFAULT_PRESET ? `${COMMAND}\` (or \`npm run bench:load-memory\`)` : `${COMMAND} --preset ${presetName}\``}`,
    ...machineLines(load),
    `- Node ${process.version}, @tensorflow/tfjs ${c.tfVersion}, backend wasm`,
    `- Model (${presetName}): Llama, vocab ${s.vocab}, hidden ${s.hidden}, ${s.layers} layers, ${s.heads} heads, intermediate ${s.intermediate}, untied head: ` +
      `${w.params.toLocaleString('en-US')} parameters; ${mb(w.dataBytes)} of F16 data in ${w.files.length} shards (${shardSizes}) + index`,
    `- Largest tensor: ${w.largest.name}, ${w.largest.elements.toLocaleString('en-US')} elements (${mb(f32Largest)} as float32)`,
    `- Load time: ${c.loadSeconds.toFixed(1)} s; ${c.samples} RSS samples`,
    '',
    '| | |',
    '|---|---|',
    `| baseline RSS (tfjs + wasm initialised) | ${mb(c.baselineRss)} |`,
    `| peak RSS, sampled | ${mb(c.sampledPeakRss)} |`,
    `| peak RSS, VmHWM | ${mb(c.vmHwm)} |`,
    `| **peak − baseline** | **${mb(over)}** |`,
    `| bound: float32 weights ${mb(f32Weights)} + largest tensor ${mb(f32Largest)} + 300 MB | ${mb(bound)} |`,
    `| bound holds | **${holds ? 'yes' : 'NO'}** (${holds ? 'margin' : 'over by'} ${mb(Math.abs(bound - over))}) |`,
    '',
    `Where it goes, right after loading (RSS then ${mb(c.rssAfter)}, ${mb(c.rssAfter - c.baselineRss)} above the baseline):`,
    '',
    '| | above baseline |',
    '|---|---|',
    `| wasm heap size (tfjs tensors live in it; tf.memory() ${mb(c.tfBytes)}) | ${mb(c.wasmHeap - c.baseline.wasmHeap)} (heap ${mb(c.baseline.wasmHeap)} → ${mb(c.wasmHeap)}) |`,
    `| JS ArrayBuffers not yet collected (the last tensors' read/convert/transpose copies) | ${mb(c.arrayBuffers - c.baseline.arrayBuffers)} |`,
    `| V8 heap used | ${mb(c.heapUsed - c.baseline.heapUsed)} |`,
    `| the rest (freed JS memory not yet returned to the OS, allocator slack) | ${mb(rest)} |`,
    `| RSS over the baseline, all together | ${mb(c.rssAfter - c.baselineRss)} |`,
    '',
    'The snapshot after loading depends on when V8 last collected garbage; the peak rows above are what the bound is checked against.',
  ].join('\n');
}

function readSizes(file: string): number {
  return statSync(file).size;
}

// ---------------------------------------------------------------------------------------------
// Child: baseline, load, peak. Nothing else runs in this process.

/** Samples the process's RSS from its own thread; the main thread is busy loading. */
const SAMPLER = `
const { workerData, parentPort } = require('node:worker_threads');
const ctl = new Int32Array(workerData.ctl);
const timeline = [];
let max = 0, samples = 0, t0 = 0;
while (Atomics.load(ctl, 0) !== 2) {
  const rss = process.memoryUsage.rss();
  if (Atomics.load(ctl, 0) === 1) {
    if (t0 === 0) t0 = performance.now();
    if (rss > max) max = rss;
    if (samples % 10 === 0) timeline.push([Math.round(performance.now() - t0), rss]);
    samples++;
  }
  Atomics.wait(ctl, 1, 0, ${SAMPLE_MS});
}
parentPort.postMessage({ max, samples, timeline });
`;

interface SamplerResult {
  max: number;
  samples: number;
  timeline: [number, number][];
}

async function child(dir: string, resultFile: string): Promise<void> {
  const selection = await selectBackend({ prefer: 'wasm' });
  const tf = selection.tf;

  const ctl = new SharedArrayBuffer(8); // [0]: 0 idle, 1 sampling, 2 stop; [1]: never set (sleep target)
  const flags = new Int32Array(ctl);
  const sampler = new Worker(SAMPLER, { eval: true, workerData: { ctl } });
  const done = new Promise<SamplerResult>((resolve, reject) => {
    sampler.once('message', resolve);
    sampler.once('error', reject);
  });
  await new Promise((resolve) => setTimeout(resolve, 200)); // the worker is up and idle

  const before = process.memoryUsage();
  const baselineRss = before.rss;
  const baseline = { heapUsed: before.heapUsed, arrayBuffers: before.arrayBuffers, wasmHeap: wasmHeapBytes(tf.backend()) };
  const hwmReset = resetPeakRss();
  Atomics.store(flags, 0, 1);
  const t0 = performance.now();
  const { model } = loadModel(tf, dir);
  const loadSeconds = (performance.now() - t0) / 1000;
  const vmHwm = statusBytes('VmHWM');
  const rssAfter = process.memoryUsage.rss();
  Atomics.store(flags, 0, 2);
  const sampled = await done;

  const mem = process.memoryUsage();
  const result: ChildResult = {
    baselineRss,
    baseline,
    sampledPeakRss: sampled.max,
    samples: sampled.samples,
    vmHwm,
    hwmReset,
    rssAfter,
    loadSeconds,
    params: model.numParams(),
    tfBytes: tf.memory().numBytes,
    wasmHeap: wasmHeapBytes(tf.backend()),
    heapUsed: mem.heapUsed,
    external: mem.external,
    arrayBuffers: mem.arrayBuffers,
    timeline: sampled.timeline,
    tfVersion: selection.tfjsVersion,
  };
  writeFileSync(resultFile, JSON.stringify(result));
  model.dispose();
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0: "5" > /proc/self/clear_refs). */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return statusBytes('VmHWM') <= process.memoryUsage.rss() + 16 * MB;
  } catch {
    return false;
  }
}

function statusBytes(key: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`^${key}:\\s*(\\d+) kB$`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  if (!m) throw new Error(`/proc/self/status has no ${key}`);
  return Number(m[1]) * 1024;
}

function wasmHeapBytes(backend: unknown): number {
  return (backend as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.byteLength ?? 0;
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  child(argv[1]!, argv[2]!).catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
} else {
  try {
    if (argv.length > 0 && !(argv.length === 2 && argv[0] === '--preset')) {
      throw new Error(`usage: ${COMMAND} [--preset ${Object.keys(PRESETS).join('|')}]`);
    }
    parent(argv[1] ?? DEFAULT_PRESET);
  } catch (err) {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  }
}
