// Shared by the benchmarks: a description of the machine (and package versions) they
// ran on, and BENCHMARKS.md upkeep. Each benchmark owns one section, fenced by
// <!-- bench:<id> --> … <!-- /bench:<id> -->; re-running a benchmark replaces its
// own section and leaves the others as they are.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { refreshReadme } from '../scripts/readme-numbers';

export const BENCHMARKS_FILE = path.join(__dirname, '..', 'BENCHMARKS.md');

const INTRO = `# Benchmarks

Measurements of LoRA Lab's engine (TensorFlow.js) on the machine named in each
section, side by side with a reference where there is one. Each section is written
by the benchmark itself (\`bench/\`) and replaced when that benchmark is re-run; the
command to reproduce it is in the section. Figures move from run to run by several
per cent; compare ratios measured in the same run.
`;

/** What bench/forward_torch.py's torch_environment() reports with every PyTorch timing. */
export interface TorchEnvironment {
  torch: string;
  python: string;
  num_threads: number;
  parallel_backend: string;
  blas_info: string;
  cpu_capability: string;
  blas: { libraries: string[]; openblas_config?: string; openblas_core?: string; openblas_threads?: number };
  env: Record<string, string | null>;
}

export interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  os: string;
}

export function machine(): Machine {
  const cpuinfo = readOr('/proc/cpuinfo');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const flags = /^flags\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.split(/\s+/) ?? [];
  const simd = ['avx512f', 'avx2', 'fma'].filter((f) => flags.includes(f));
  const release = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readOr('/etc/os-release'))?.[1] ?? os.type();
  return {
    cpu: simd.length > 0 ? `${model} (${simd.join(', ').toUpperCase()})` : model,
    cores: os.cpus().length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${release}, Linux ${os.release()}, ${process.platform}-${process.arch}`,
  };
}

/** `loadAtStart`: os.loadavg() taken when the benchmark began; other work on the machine skews timings. */
export function machineLines(loadAtStart: number[]): string[] {
  const m = machine();
  return [
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memory} RAM; ${m.os}`,
    `- Load average when the benchmark started: ${loadAtStart.map((x) => x.toFixed(2)).join(', ')} (1, 5, 15 min)`,
  ];
}

/** os.loadavg(), with a warning on stderr when the machine is already busy. */
export function loadAverage(): number[] {
  const load = os.loadavg();
  if (load[0]! > 0.5) console.error(`warning: load average ${load[0]!.toFixed(2)} (a one-minute average): other work may be running and skew the timings`);
  return load;
}

/** Replaces (or appends) the section `id` of BENCHMARKS.md; `body` starts with its own `## ` heading. */
export function writeSection(id: string, body: string, file = BENCHMARKS_FILE): void {
  const start = `<!-- bench:${id} -->`;
  const end = `<!-- /bench:${id} -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : INTRO;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  const next =
    i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
  // README's numbers table is made from these sections (scripts/readme-numbers.ts): keep it in step.
  if (file === BENCHMARKS_FILE) {
    try {
      if (refreshReadme()) console.error('README.md numbers table rewritten from BENCHMARKS.md');
    } catch (err) {
      console.error(`warning: README.md numbers table not rewritten: ${(err as Error).message}`);
    }
  }
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The installed version of package `name` (its package.json, as resolved from bench/). */
export function packageVersion(name: string): string {
  const req = createRequire(__filename);
  return (JSON.parse(readFileSync(req.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

export const MB = 1e6;
export const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
