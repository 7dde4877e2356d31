// Merge & export on a checkpoint of about 1 GB: writes a random ≈245M-parameter
// Llama in float32 (≈982 MB in shards of ≤ 200 MB plus the index) and a random
// LoRA adapter on q_proj and v_proj (r 8, PEFT's file layout), then runs
// mergeModel in fresh child processes and measures
//   1. peak memory of a float32 merge: RSS sampled every 2 ms from a worker thread
//      and VmHWM (reset right before the merge), minus the RSS just before it,
//      against the acceptance bound 1.5 × the largest tensor (float32 bytes) + 200 MB;
//   2. the same merge with a full garbage collection after every tensor (a
//      diagnostic: what the peak would be if each tensor's buffer were freed at once);
//   3. throughput, MB of output written per second, for float32 and float16 output,
//      against plain copies of the same shards (fs.copyFileSync, with and without
//      an fsync per file as the merge does, and `cp`);
// and writes the "merge" section of BENCHMARKS.md.
// Run: npx tsx bench/merge.ts       (or: npm run bench:merge; under a minute, 2 GB of temp disk)
//      npx tsx bench/merge.ts --preset llama-17m   (a quick check; printed only, BENCHMARKS.md keeps
//      the default model's section)
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeJsonFile } from '../src/main/engine/io/json-file';
import { SafetensorsFile, SafetensorsWriter, writeSafetensors, type TensorToWrite } from '../src/main/engine/io/safetensors/index';
import { AdapterDeltas } from '../src/main/engine/merge/deltas';
import { mergeModel, type MergeDtype } from '../src/main/engine/merge/merge';
import { mulberry32, PRESETS, writeRandomLlama, type LlamaShape, type WrittenModel } from './make-model';
import { PeakSampler, runChild, statusBytes, traceLine } from './memory';
import { loadAverage, machineLines, mb, MB, today, writeSection } from './report';

const DEFAULT_PRESET = 'llama-250m';
const MAX_SHARD_BYTES = 200_000_000;
const LORA = { r: 8, alpha: 16, targets: ['q_proj', 'v_proj'] };
const SLACK_BYTES = 200 * MB;
const SAMPLE_MS = 2;
const COMMAND = 'npx tsx bench/merge.ts';

/** What a merge child reports; bytes and seconds. */
interface ChildResult {
  dtype: MergeDtype;
  gcEachTensor: boolean;
  baselineRss: number;
  baseline: { heapUsed: number; arrayBuffers: number; external: number };
  sampledPeakRss: number;
  /** ms since the merge began. */
  sampledPeakAt: number;
  sampledPeakAnon: number;
  sampledPeakFile: number;
  samples: number;
  vmHwm: number;
  hwmReset: boolean;
  after: { rss: number; heapUsed: number; arrayBuffers: number; external: number };
  /** Per tensor as it finished: [ms since the merge began, RSS then, name]. */
  progress: [number, number, string][];
  timeline: [number, number, number, number][];
  seconds: number;
  /** Seconds inside the engine functions the merge calls (see instrument()). */
  split: Record<SplitPart, number>;
  tensors: number;
  adaptedModules: number;
  shards: number;
  outputBytes: number;
}

// ---------------------------------------------------------------------------------------------
// Parent: make the checkpoint and adapter, run the children and the copies, report.

async function parent(presetName: string): Promise<void> {
  const shape = PRESETS[presetName];
  if (!shape) throw new Error(`--preset must be one of ${Object.keys(PRESETS).join(', ')}; got '${presetName}'`);
  const load = loadAverage();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'loralab-bench-merge-'));
  try {
    // 1. Base model and adapter.
    const base = path.join(tmp, 'base');
    let t0 = performance.now();
    const written = writeRandomLlama(base, shape, { dtype: 'F32', seed: 0, maxShardBytes: MAX_SHARD_BYTES });
    console.error(`model: ${written.params} parameters, ${mb(written.dataBytes)} F32 in ${written.files.length} shards (${sec(t0)} s)`);
    const adapter = path.join(tmp, 'adapter');
    const adapterModules = writeRandomAdapter(adapter, shape);
    sync(); // nothing of the setup is still being written back while the merges run

    // 2. Merges, each in its own process.
    const runs: ChildResult[] = [];
    for (const [dtype, gcEach] of [['float32', false], ['float32', true], ['float16', false]] as const) {
      const out = path.join(tmp, `merged-${dtype}${gcEach ? '-gc' : ''}`);
      const resultFile = path.join(tmp, 'child.json');
      const r = runChild<ChildResult>(__filename, [base, adapter, out, dtype, gcEach ? 'gc' : 'nogc', resultFile], resultFile);
      console.error(
        `merge ${dtype}${gcEach ? ' (gc after each tensor)' : ''}: ${r.seconds.toFixed(2)} s, ${mb(r.outputBytes)} written, ` +
          `peak − baseline ${mb(Math.max(r.sampledPeakRss, r.vmHwm) - r.baselineRss)}`,
      );
      console.error(`  RSS during the merge (ms: MB): ${traceLine(r.timeline)}`);
      runs.push(r);
      rmSync(out, { recursive: true, force: true });
      sync();
    }

    // 3. Plain copies of the same files (the page cache holds the sources for all of them, as for the merges).
    const sources = readdirSync(base).map((f) => path.join(base, f));
    const sourceBytes = sources.reduce((n, f) => n + statSync(f).size, 0);
    const copies: { label: string; seconds: number }[] = [];
    const copy = (label: string, run: (dest: string) => void) => {
      const dest = path.join(tmp, 'copy');
      mkdirSync(dest);
      t0 = performance.now();
      run(dest);
      const seconds = (performance.now() - t0) / 1000;
      copies.push({ label, seconds });
      console.error(`${label}: ${seconds.toFixed(2)} s`);
      rmSync(dest, { recursive: true, force: true });
      sync();
    };
    copy('fs.copyFileSync', (dest) => sources.forEach((f) => copyFileSync(f, path.join(dest, path.basename(f)))));
    copy('fs.copyFileSync + fsync per file', (dest) =>
      sources.forEach((f) => {
        const to = path.join(dest, path.basename(f));
        copyFileSync(f, to);
        const fd = openSync(to, 'r');
        fsyncSync(fd);
        closeSync(fd);
      }),
    );
    copy('cp (child_process)', (dest) => execFileSync('cp', [...sources, dest]));

    const body = report(presetName, shape, written, adapterModules, runs, copies, sourceBytes, load);
    if (presetName === DEFAULT_PRESET) writeSection('merge', body);
    else console.error(`(--preset ${presetName}: not written to BENCHMARKS.md)`);
    console.log(body);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** adapter_config.json and adapter_model.safetensors of a LoRA adapter with random A and B; returns the module count. */
function writeRandomAdapter(dir: string, s: LlamaShape): number {
  mkdirSync(dir, { recursive: true });
  const headDim = s.hidden / s.heads;
  const outOf = { q_proj: s.heads * headDim, v_proj: s.kvHeads * headDim } as Record<string, number>;
  const next = mulberry32(99);
  const uniform = (n: number, bound: number) => Float32Array.from({ length: n }, () => (2 * next() - 1) * bound);
  const tensors: TensorToWrite[] = [];
  for (let i = 0; i < s.layers; i++) {
    for (const t of LORA.targets) {
      const key = `base_model.model.model.layers.${i}.self_attn.${t}`;
      const out = outOf[t]!;
      // A as PEFT initialises it; B non-zero (a trained adapter), so the merge changes every weight it touches.
      tensors.push({ name: `${key}.lora_A.weight`, dtype: 'F32', shape: [LORA.r, s.hidden], data: uniform(LORA.r * s.hidden, 1 / Math.sqrt(s.hidden)) });
      tensors.push({ name: `${key}.lora_B.weight`, dtype: 'F32', shape: [out, LORA.r], data: uniform(out * LORA.r, 0.01) });
    }
  }
  writeSafetensors(path.join(dir, 'adapter_model.safetensors'), tensors);
  writeJsonFile(path.join(dir, 'adapter_config.json'), {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: 'bench',
    r: LORA.r,
    lora_alpha: LORA.alpha,
    lora_dropout: 0,
    target_modules: LORA.targets,
    bias: 'none',
    fan_in_fan_out: false,
    use_rslora: false,
  });
  return tensors.length / 2;
}

function report(
  presetName: string,
  s: LlamaShape,
  w: WrittenModel,
  adapterModules: number,
  runs: ChildResult[],
  copies: { label: string; seconds: number }[],
  sourceBytes: number,
  load: number[],
): string {
  const largest = w.largest.elements * 4;
  const bound = 1.5 * largest + SLACK_BYTES;
  const [f32, f32gc, f16] = runs as [ChildResult, ChildResult, ChildResult];
  const peakOf = (r: ChildResult) => Math.max(r.sampledPeakRss, r.vmHwm) - r.baselineRss;
  const rate = (bytes: number, seconds: number) => bytes / MB / seconds;
  const f32Rate = rate(f32.outputBytes, f32.seconds);
  const holds = peakOf(f32) <= bound;
  const memRow = (label: string, r: ChildResult) =>
    `| ${label} | ${mb(r.baselineRss)} | ${mb(r.sampledPeakRss)} | ${mb(r.vmHwm)} | **${mb(peakOf(r))}** | ` +
    `${mb(r.sampledPeakAnon)} / ${mb(r.sampledPeakFile)} | ${mb(r.after.arrayBuffers - r.baseline.arrayBuffers)} |`;
  const where = peakTensor(f32);
  return [
    '## Merge & export: peak memory and throughput',
    '',
    `\`mergeModel\` on a random Llama checkpoint in float32, sharded, with a random LoRA adapter (r ${LORA.r}, alpha ${LORA.alpha}, ` +
      `${LORA.targets.join(' and ')} of every layer). Every merge runs in a fresh child process (\`node --expose-gc --import tsx\`) that ` +
      'takes its baseline RSS right before calling `mergeModel`; the peak is the larger of the RSS sampled every ' +
      `${SAMPLE_MS} ms from a worker thread and VmHWM (${f32.hwmReset ? 'reset through /proc/self/clear_refs right before the merge' : 'not resettable here: lifetime peak'}). ` +
      'RSS counts the process\'s anonymous memory (V8 heap, ArrayBuffers) and the file pages mapped into it (node, its libraries); ' +
      'the engine reads and writes with read()/write(), never mmap, so the page cache that holds the checkpoint is the kernel\'s and not in RSS ' +
      '(the RssFile column stays flat). The sources are in the page cache for every merge and copy (written just before); ' +
      '`sync` runs before each one, untimed, so none starts with dirty pages to write back.',
    '',
    `- Date: ${today()}`,
    `- Command: ${presetName === DEFAULT_PRESET ? `\`${COMMAND}\` (or \`npm run bench:merge\`)` : `\`${COMMAND} --preset ${presetName}\``}`,
    ...machineLines(load),
    `- Node ${process.version}; temp files on ${fsType(os.tmpdir())}`,
    `- Base model (${presetName}): Llama, vocab ${s.vocab}, hidden ${s.hidden}, ${s.layers} layers, ${s.heads} heads, intermediate ${s.intermediate}, untied head: ` +
      `${w.params.toLocaleString('en-US')} parameters, ${mb(w.dataBytes)} of F32 data in ${w.files.length} shards of ≤ ${mb(MAX_SHARD_BYTES)} + index (${mb(sourceBytes)} of files)`,
    `- Adapter: ${adapterModules} modules; merge output sharded at ≤ ${mb(MAX_SHARD_BYTES)} as well; ${f32.adaptedModules} modules merged, ${f32.tensors} tensors written`,
    `- Largest tensor: ${w.largest.name}, ${w.largest.elements.toLocaleString('en-US')} elements = ${mb(largest)} as float32`,
    '',
    '### Peak memory',
    '',
    '| merge | baseline RSS | peak RSS, sampled | VmHWM | peak − baseline | peak RssAnon / RssFile (sampled) | ArrayBuffers left after (vs baseline) |',
    '|---|---|---|---|---|---|---|',
    memRow('float32 output', f32),
    memRow('float32, `gc()` after every tensor (diagnostic)', f32gc),
    memRow('float16 output', f16),
    '',
    `- Bound: 1.5 × ${mb(largest)} + 200 MB = **${mb(bound)}**; float32 merge: **${holds ? 'holds' : 'DOES NOT HOLD'}** ` +
      `(${mb(peakOf(f32))}, ${holds ? 'margin' : 'over by'} ${mb(Math.abs(bound - peakOf(f32)))}; ${(peakOf(f32) / largest).toFixed(2)} × the largest tensor)`,
    `- Where: the float32 merge's highest RSS sample came ${where}; its peak is the largest tensor's float32 buffer (${mb(largest)}) ` +
      `plus ${mb(peakOf(f32) - largest)} of other buffers (dead ones not yet collected, the float16 scratch, the adapter's factors), V8 heap and allocator slack.`,
    ...explain(f32, f32gc, largest, bound),
    '',
    '### Throughput',
    '',
    'MB of output files written per second, wall clock around `mergeModel` in the child (reading the adapter, computing ' +
      'the deltas, reading, merging and writing every tensor, an fsync per shard and the folder rename), against copies of the ' +
      'base folder\'s files timed in the parent.',
    '',
    '| | seconds | MB written | MB/s | merge float32 ÷ this (MB/s) |',
    '|---|---|---|---|---|',
    `| mergeModel, float32 output | ${f32.seconds.toFixed(2)} | ${(f32.outputBytes / MB).toFixed(1)} | ${f32Rate.toFixed(0)} | 1.00 |`,
    `| mergeModel, float16 output | ${f16.seconds.toFixed(2)} | ${(f16.outputBytes / MB).toFixed(1)} | ${rate(f16.outputBytes, f16.seconds).toFixed(0)} ` +
      `(input ${rate(sourceBytes, f16.seconds).toFixed(0)}) | ${(f32Rate / rate(f16.outputBytes, f16.seconds)).toFixed(2)} |`,
    ...copies.map(
      (c) =>
        `| ${c.label} | ${c.seconds.toFixed(2)} | ${(sourceBytes / MB).toFixed(1)} | ${rate(sourceBytes, c.seconds).toFixed(0)} | ` +
        `**${(f32Rate / rate(sourceBytes, c.seconds)).toFixed(2)}** |`,
    ),
    '',
    ...splitTable(f32, f16),
    '',
    `- float32 merge vs a plain copy: ${ratioText(f32Rate, rate(sourceBytes, copies[0]!.seconds))} \`fs.copyFileSync\`, ` +
      `${ratioText(f32Rate, rate(sourceBytes, copies[1]!.seconds))} \`fs.copyFileSync\` + fsync (the merge fsyncs every shard), ` +
      `${ratioText(f32Rate, rate(sourceBytes, copies[2]!.seconds))} \`cp\`.`,
  ].join('\n');
}

function splitTable(f32: ChildResult, f16: ChildResult): string[] {
  const rest = (r: ChildResult) => r.seconds - (Object.keys(SPLIT_LABELS) as SplitPart[]).reduce((n, k) => n + r.split[k], 0);
  return [
    'Where the merge\'s time goes (wall clock inside each engine function, summed over tensors):',
    '',
    '| | float32 output (s) | float16 output (s) |',
    '|---|---|---|',
    ...(Object.keys(SPLIT_LABELS) as SplitPart[]).map((k) => `| ${SPLIT_LABELS[k]} | ${f32.split[k].toFixed(2)} | ${f16.split[k].toFixed(2)} |`),
    `| the rest (reading the adapter, planning, creating the shard files, the loop) | ${rest(f32).toFixed(2)} | ${rest(f16).toFixed(2)} |`,
    `| total | ${f32.seconds.toFixed(2)} | ${f16.seconds.toFixed(2)} |`,
  ];
}

function ratioText(merge: number, copy: number): string {
  return `${(merge / copy).toFixed(2)}× the throughput of`;
}

/** The tensor being worked on when the sampled RSS was highest: the first to finish after that sample. */
function peakTensor(r: ChildResult): string {
  const at = r.sampledPeakAt;
  const i = r.progress.findIndex(([ms]) => ms >= at);
  if (i < 0) return `at ${at} ms, after the last tensor was written`;
  const [, , name] = r.progress[i]!;
  return `at ${at} ms of ${(r.seconds * 1000).toFixed(0)} ms, while "${name}" was read, merged and written (tensor ${i + 1} of ${r.progress.length})`;
}

function explain(f32: ChildResult, gc: ChildResult, largest: number, bound: number): string[] {
  const over = Math.max(f32.sampledPeakRss, f32.vmHwm) - f32.baselineRss;
  const overGc = Math.max(gc.sampledPeakRss, gc.vmHwm) - gc.baselineRss;
  const lines = [
    `- With a \`gc()\` after every tensor the peak is ${mb(overGc)} (${(overGc / largest).toFixed(2)} × the largest tensor): ` +
      `${mb(over - overGc)} of the plain merge's peak is tensor buffers that were already garbage but not yet collected.`,
  ];
  if (over > bound) {
    lines.push(
      '- Why the bound fails: the merge reads each tensor into a fresh buffer (`SafetensorsFile.readFloat32` → `new Uint8Array` of the ' +
        'tensor\'s bytes, viewed as float32) and drops it after writing; V8 frees such ArrayBuffers only when a garbage collection runs, ' +
        'and the merge loop is synchronous and allocates almost nothing on the JS heap, so several dead tensor buffers (the biggest are ' +
        `${mb(largest)} each) pile up before a collection. Suggested fix (src/main/engine/merge/merge.ts + io/safetensors/file.ts): read each ` +
        'tensor into one reusable buffer sized for the largest tensor (a `readFloat32Into(name, target)`), or read and write in fixed-size ' +
        'chunks for tensors the adapter does not touch (they need no float32 copy at all), so memory no longer depends on the collector.',
    );
  }
  return lines;
}

function fsType(dir: string): string {
  try {
    return execFileSync('findmnt', ['-n', '-o', 'FSTYPE', '-T', dir], { encoding: 'utf8' }).trim();
  } catch {
    return 'an unknown file system';
  }
}

function sync(): void {
  execFileSync('sync');
}

function sec(t0: number): string {
  return ((performance.now() - t0) / 1000).toFixed(1);
}

// ---------------------------------------------------------------------------------------------
// Child: baseline, merge, peak. Nothing else runs in this process.

type SplitPart = 'read' | 'delta' | 'finite' | 'write' | 'finish';
const SPLIT_LABELS: Record<SplitPart, string> = {
  read: '`SafetensorsFile.readFloat32` (read() into a fresh buffer)',
  delta: '`AdapterDeltas.applyTo` (ΔW = B·A in float64 loops, added in place)',
  finite: 'merge.ts\'s non-finite check, `data.every(Number.isFinite)`, on merged weights',
  write: '`SafetensorsWriter.write` (write(); for float16 also the conversion, in 1M-element chunks)',
  finish: '`SafetensorsWriter.finish` (fsync, rename, folder fsync)',
};

/**
 * Wraps the engine functions the merge spends its time in with wall-clock timers
 * (a benchmark-only patch of the classes' prototypes; src/ is unchanged). What is left of the merge's time is the rest of merge.ts's loop,
 * chiefly its non-finite check (data.every(Number.isFinite)) on merged weights.
 */
function instrument(): Record<SplitPart, number> {
  const split: Record<SplitPart, number> = { read: 0, delta: 0, finite: 0, write: 0, finish: 0 };
  const wrap = <T extends object, K extends keyof T>(obj: T, key: K, part: SplitPart) => {
    const original = obj[key] as unknown as (...args: unknown[]) => unknown;
    (obj as Record<K, unknown>)[key] = function (this: unknown, ...args: unknown[]) {
      const t0 = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        split[part] += (performance.now() - t0) / 1000;
      }
    };
  };
  wrap(SafetensorsFile.prototype, 'readFloat32', 'read');
  wrap(AdapterDeltas.prototype, 'applyTo', 'delta');
  wrap(SafetensorsWriter.prototype, 'write', 'write');
  wrap(SafetensorsWriter.prototype, 'finish', 'finish');
  // Nothing else in this child calls every() on a Float32Array.
  wrap(Float32Array.prototype, 'every', 'finite');
  return split;
}

async function child(base: string, adapter: string, out: string, dtype: MergeDtype, gcEach: boolean, resultFile: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gcEach && !gc) throw new Error('the gc-each-tensor run needs node --expose-gc');
  const split = instrument();
  const sampler = await PeakSampler.create(SAMPLE_MS);
  gc?.(); // a clean baseline: nothing collectable left from start-up
  const before = process.memoryUsage();
  const progress: [number, number, string][] = [];
  const epoch = performance.timeOrigin;
  sampler.start();
  const t0 = performance.now();
  const result = await mergeModel({
    base,
    adapters: [{ dir: adapter, weight: 1 }],
    out,
    dtype,
    maxShardBytes: MAX_SHARD_BYTES,
    onProgress: (_done, _total, name) => {
      if (gcEach) gc!();
      progress.push([epoch + performance.now(), process.memoryUsage.rss(), name]);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const vmHwm = statusBytes('VmHWM');
  const run = await sampler.stop();
  const after = process.memoryUsage();
  const start = epoch + t0;
  const outputBytes = readdirSync(out).reduce((n, f) => n + statSync(path.join(out, f)).size, 0);
  const r: ChildResult = {
    dtype,
    gcEachTensor: gcEach,
    baselineRss: before.rss,
    baseline: { heapUsed: before.heapUsed, arrayBuffers: before.arrayBuffers, external: before.external },
    sampledPeakRss: run.sampledRss,
    sampledPeakAt: Math.round(run.sampledRssAt - start),
    sampledPeakAnon: run.sampledAnon,
    sampledPeakFile: run.sampledFile,
    samples: run.samples,
    vmHwm: Math.max(vmHwm, run.vmHwm),
    hwmReset: sampler.hwmReset,
    after: { rss: after.rss, heapUsed: after.heapUsed, arrayBuffers: after.arrayBuffers, external: after.external },
    progress: progress.map(([t, rss, name]) => [Math.round(t - start), rss, name]),
    timeline: run.timeline.map(([t, ...rest]) => [Math.round(t - start), ...rest]),
    seconds,
    split,
    tensors: result.tensors,
    adaptedModules: result.adaptedModules.length,
    shards: result.shards,
    outputBytes,
  };
  writeFileSync(resultFile, JSON.stringify(r));
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  const [, base, adapter, out, dtype, gcFlag, resultFile] = argv as [string, string, string, string, MergeDtype, string, string];
  child(base, adapter, out, dtype, gcFlag === 'gc', resultFile).catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
} else {
  if (argv.length > 0 && !(argv.length === 2 && argv[0] === '--preset')) {
    console.error(`usage: ${COMMAND} [--preset ${Object.keys(PRESETS).join('|')}]`);
    process.exit(1);
  }
  parent(argv[1] ?? DEFAULT_PRESET).catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
}
