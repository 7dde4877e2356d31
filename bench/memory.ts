// Peak-memory measurement for the benchmarks that run their subject in a fresh
// child process (merge, lora-vs-full): a worker thread samples the process's
// resident set every few milliseconds while the main thread is busy in
// synchronous engine code, and the kernel's own high-water mark (VmHWM) is read
// from /proc/self/status after a reset through /proc/self/clear_refs. RSS
// counts anonymous memory (V8 heap, ArrayBuffers, the wasm heap) plus file
// pages mapped into the process (the node binary, shared libraries); the page
// cache that read()/write() go through is the kernel's and is not counted. The
// sampler also splits RSS into RssAnon and RssFile (every 10th sample), so a
// reader can tell which of the two grew.
// Not an entry point: imported by bench/merge.ts and bench/lora-vs-full.ts.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { MB } from './report';

/** Runs `node --import tsx <script> --child ...args` from the repository root and parses the JSON it leaves in `resultFile`. */
export function runChild<T>(script: string, args: readonly string[], resultFile: string): T {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, '--child', ...args], {
    cwd: path.join(__dirname, '..'), // where --import tsx resolves
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`the child ${path.basename(script)} ${args[0] ?? ''} failed (exit ${r.status}, signal ${r.signal})`);
  return JSON.parse(readFileSync(resultFile, 'utf8')) as T;
}

/** Slot indices of the shared Float64Array the sampler and the main thread use. */
const CTL = { state: 0, maxRss: 1, maxAnon: 2, maxFile: 3, samples: 4, maxRssAt: 5 } as const;

/** Runs in the worker: reads RSS until told to stop; the maxima are visible to the main thread at any time. */
const SAMPLER = `
const { readFileSync } = require('node:fs');
const { workerData, parentPort } = require('node:worker_threads');
const ctl = new Float64Array(workerData.ctl);
const sleep = new Int32Array(workerData.sleep);
const timeline = [];
let n = 0;
const field = (text, key) => { const m = new RegExp('^' + key + ':\\\\s*(\\\\d+) kB$', 'm').exec(text); return m ? Number(m[1]) * 1024 : 0; };
while (ctl[${CTL.state}] !== 2) {
  if (ctl[${CTL.state}] === 1) {
    const rss = process.memoryUsage.rss();
    if (rss > ctl[${CTL.maxRss}]) { ctl[${CTL.maxRss}] = rss; ctl[${CTL.maxRssAt}] = performance.timeOrigin + performance.now(); }
    if (n % 10 === 0) {
      const status = readFileSync('/proc/self/status', 'utf8');
      const anon = field(status, 'RssAnon'), file = field(status, 'RssFile');
      if (anon > ctl[${CTL.maxAnon}]) ctl[${CTL.maxAnon}] = anon;
      if (file > ctl[${CTL.maxFile}]) ctl[${CTL.maxFile}] = file;
      timeline.push([performance.timeOrigin + performance.now(), rss, anon, file]);
    }
    n++;
    ctl[${CTL.samples}] = n;
  }
  Atomics.wait(sleep, 0, 0, workerData.everyMs);
}
parentPort.postMessage({ timeline });
`;

export interface MemoryPeak {
  /** Largest RSS the sampler saw, and when (epoch ms: performance.timeOrigin + now). */
  sampledRss: number;
  sampledRssAt: number;
  /** Largest RssAnon / RssFile seen (sampled 10× less often than RSS). */
  sampledAnon: number;
  sampledFile: number;
  samples: number;
  /** The kernel's peak RSS since the reset (exact, not sampled). */
  vmHwm: number;
}

export interface MemoryRun extends MemoryPeak {
  /** [epoch ms (performance.timeOrigin + now), rss, anon, file] every 10th sample. */
  timeline: [number, number, number, number][];
}

/** A sampler thread; start() resets the high-water mark and begins sampling, stop() ends it. */
export class PeakSampler {
  private readonly ctl = new Float64Array(new SharedArrayBuffer(8 * 6));
  private readonly worker: Worker;
  private readonly done: Promise<{ timeline: [number, number, number, number][] }>;
  hwmReset = false;

  private constructor(everyMs: number) {
    this.worker = new Worker(SAMPLER, { eval: true, workerData: { ctl: this.ctl.buffer, sleep: new SharedArrayBuffer(4), everyMs } });
    this.done = new Promise((resolve, reject) => {
      this.worker.once('message', resolve);
      this.worker.once('error', reject);
    });
  }

  /** Starts the worker and waits until it is up (idle), so its own start-up is part of the baseline. */
  static async create(everyMs = 2): Promise<PeakSampler> {
    const s = new PeakSampler(everyMs);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return s;
  }

  start(): void {
    this.hwmReset = resetPeakRss();
    this.ctl[CTL.state] = 1;
  }

  /** The peaks so far, without stopping (readable from the main thread while it works). */
  peak(): MemoryPeak {
    return {
      sampledRss: this.ctl[CTL.maxRss]!,
      sampledRssAt: this.ctl[CTL.maxRssAt]!,
      sampledAnon: this.ctl[CTL.maxAnon]!,
      sampledFile: this.ctl[CTL.maxFile]!,
      samples: this.ctl[CTL.samples]!,
      vmHwm: statusBytes('VmHWM'),
    };
  }

  async stop(): Promise<MemoryRun> {
    const p = this.peak();
    this.ctl[CTL.state] = 2;
    const { timeline } = await this.done;
    return { ...p, timeline };
  }
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0: "5" > /proc/self/clear_refs); false where that is not allowed. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return statusBytes('VmHWM') <= process.memoryUsage.rss() + 16 * MB;
  } catch {
    return false;
  }
}

export function statusBytes(key: 'VmHWM' | 'VmRSS' | 'RssAnon' | 'RssFile'): number {
  const m = new RegExp(`^${key}:\\s*(\\d+) kB$`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  if (!m) throw new Error(`/proc/self/status has no ${key}`);
  return Number(m[1]) * 1024;
}

/** A coarse trace for the console: about `points` entries of "ms: MB", times from the first entry. */
export function traceLine(timeline: readonly [number, number, ...number[]][], points = 20): string {
  const step = Math.max(1, Math.floor(timeline.length / points));
  const t0 = timeline[0]?.[0] ?? 0;
  return timeline
    .filter((_, i) => i % step === 0 || i === timeline.length - 1)
    .map(([t, rss]) => `${Math.round(t - t0)}: ${(rss / MB).toFixed(0)}`)
    .join(', ');
}
