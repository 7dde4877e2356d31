// Fuzzers of what users hand LoRA Lab: run config files, dataset lines and files,
// adapter folders. Each case goes through the real parsing function in-process
// (so 10,000 cases take seconds) and is classified:
//   refused  an error of LoRA Lab's own kinds whose message names the file (and
//            the line or field where one applies) and does not echo the input;
//   accepted the input was valid;
//   crash    anything else: a TypeError, RangeError, an error without a location,
//            an echo of the input — each one is a bug;
//   hang     a case that took longer than HANG_MS.
// The generators are seeded (the engine's mulberry32), so a failing case repeats.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZodError } from 'zod';
import { AdapterError } from '../../src/main/engine/adapters/peft-files';
import { DataFileError, dataLines, parseJsonLine } from '../../src/main/engine/data/jsonl';
import { SafetensorsError, SafetensorsFile, writeSafetensors, type TensorToWrite } from '../../src/main/engine/io/safetensors/index';
import { encodeExample, ExampleError, type HfTokenizer } from '../../src/main/engine/io/tokenizer/index';
import { validateAdapters, type BaseWeight } from '../../src/main/engine/merge/adapter-check';
import { findArchitecture } from '../../src/main/engine/models/index';
import { createRng, type Rng } from '../../src/main/engine/train/rng';
import { ConfigError, readRunConfigFile } from '../../src/main/services/config-file';
import { checkRunBounds } from '../../src/main/services/run-bounds';
import { LoraLabError } from '../../src/shared/ipc/result';
import { ROOT } from '../helpers';

export const HANG_MS = 2000;
/** Planted in every generated input; an error message that contains it echoed the input. */
export const MARKER = 'zq-private-7f3a';

export interface FuzzStats {
  name: string;
  cases: number;
  accepted: number;
  refused: number;
  crashes: string[];
  hangs: number;
  seconds: number;
}

const OUR_ERRORS = [ConfigError, LoraLabError, ExampleError, DataFileError, AdapterError, SafetensorsError] as const;

/** A scratch folder on a RAM file system where there is one (tens of thousands of small writes). */
export function fuzzDir(): { dir: string; remove(): void } {
  const root = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(root, 'loralab-fuzz-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function classify(stats: FuzzStats, what: string, run: () => void, mustName: (message: string) => boolean): void {
  stats.cases++;
  const started = Date.now();
  try {
    run();
    stats.accepted++;
  } catch (err) {
    const ours = OUR_ERRORS.some((E) => err instanceof E) || err instanceof ZodError;
    const message = err instanceof Error ? err.message : String(err);
    if (!ours) stats.crashes.push(`${what}: ${err instanceof Error ? err.name : typeof err}: ${message.slice(0, 200)}`);
    else if (message.includes(MARKER)) stats.crashes.push(`${what}: the error echoed the input: ${message.slice(0, 200)}`);
    else if (!mustName(message)) stats.crashes.push(`${what}: the error names no file/line/field: ${message.slice(0, 200)}`);
    else stats.refused++;
  }
  if (Date.now() - started > HANG_MS) stats.hangs++;
}

const newStats = (name: string): FuzzStats => ({ name, cases: 0, accepted: 0, refused: 0, crashes: [], hangs: 0, seconds: 0 });
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)]!;

/** A random JSON-ish value: the building block of every mutation. */
function junk(rng: Rng, depth = 0): unknown {
  const k = rng.int(depth > 2 ? 8 : 11);
  switch (k) {
    case 0: return null;
    case 1: return rng.next() < 0.5;
    case 2: return pick(rng, [0, -1, 1, 1e12, -1e308, 1e308, 0.5, 2 ** 53, -0, 100_000, 3]);
    case 3: return rng.int(1000) - 100;
    case 4: return `${MARKER}-${rng.int(1e6)}`;
    case 5: return '';
    case 6: return pick(rng, ['lora', 'qlora', 'adalora', 'full', 'cosine', 'q_proj', 'all-linear', '/(q|v)_proj/', 'nf4', '../../etc/passwd', '\u0000']);
    case 7: return 'x'.repeat(rng.int(3) * 500);
    case 8: return Array.from({ length: rng.int(4) }, () => junk(rng, depth + 1));
    case 9: return Object.fromEntries(Array.from({ length: rng.int(4) }, () => [pick(rng, ['r', 'alpha', 'steps', 'lr', 'zz_extra', 'train', 'targets']), junk(rng, depth + 1)]));
    default: return rng.int(1 << 20);
  }
}

/** Sets, replaces or deletes a random path of an object (in place). */
function mutate(rng: Rng, obj: Record<string, unknown>, times: number): void {
  for (let t = 0; t < times; t++) {
    let node: Record<string, unknown> = obj;
    for (let d = 0; d < 3; d++) {
      const keys = Object.keys(node);
      // Keys are field names, which errors may (and should) name; only values carry the marker.
      const key = keys.length && rng.next() < 0.85 ? pick(rng, keys) : pick(rng, ['zz_extra', 'extra', 'r']);
      const child = node[key];
      if (child && typeof child === 'object' && !Array.isArray(child) && rng.next() < 0.6) {
        node = child as Record<string, unknown>;
        continue;
      }
      if (rng.next() < 0.15) delete node[key];
      else node[key] = junk(rng);
      break;
    }
  }
}

// ---------------------------------------------------------------- run configs

const LLAMA = join(ROOT, 'test/fixtures/models/tiny-llama');

function baseConfig(): Record<string, unknown> {
  return {
    name: 'fuzz',
    model: LLAMA,
    method: 'lora',
    lora: { r: 4, alpha: 8, dropout: 0.1, targets: ['q_proj', 'v_proj'] },
    data: { train: join(LLAMA, 'eval.jsonl'), max_seq_len: 64 },
    train: { steps: 10, batch_size: 2, lr: 0.001, schedule: 'cosine', save_every: 5, seed: 1 },
  };
}

/**
 * Config files (JSON and YAML, some cut short or corrupted) through readRunConfigFile,
 * and every config it accepts through the memory bounds check.
 */
export function fuzzRunConfigs(cases: number, seed: number, dir: string): FuzzStats {
  const stats = newStats('run configs');
  const started = Date.now();
  const rng = createRng(seed);
  for (let i = 0; i < cases; i++) {
    const cfg = baseConfig();
    mutate(rng, cfg, 1 + rng.int(4));
    const yaml = rng.next() < 0.4;
    const file = join(dir, `c${i % 16}.${yaml ? 'yaml' : 'json'}`);
    let text = yaml ? toYaml(cfg) : JSON.stringify(cfg);
    if (rng.next() < 0.15) text = text.slice(0, rng.int(text.length));
    if (rng.next() < 0.05) text = text.replace(/[:,]/, ` ${MARKER} `);
    writeFileSync(file, text);
    classify(
      stats,
      `config #${i}`,
      () => {
        const { config } = readRunConfigFile(file);
        checkRunBounds(config, 'wasm');
      },
      (m) => m.includes(file) || /config [a-z_.]+/.test(m),
    );
  }
  stats.seconds = (Date.now() - started) / 1000;
  return stats;
}

function toYaml(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => toYaml(v, indent)).join(', ')}]`;
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return entries.map(([k, v]) => `\n${indent}${JSON.stringify(k)}: ${toYaml(v, indent + '  ')}`).join('');
}

// ---------------------------------------------------------------- datasets

/** The row shapes of docs/ARCHITECTURE.md, valid, before mutation. */
function baseRow(rng: Rng): Record<string, unknown> {
  switch (rng.int(4)) {
    case 0: return { text: 'the cat sat on the mat' };
    case 1: return { instruction: 'Say a number', input: '', output: 'seven' };
    case 2: return { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] };
    default: return { input_ids: [1, 5, 9, 2], labels: [-100, 5, 9, 2] };
  }
}

/**
 * Dataset lines through the same steps readExamples takes (parseJsonLine, then
 * encodeExample with the bundled model's tokenizer), plus whole files of random
 * bytes through dataLines: every refusal must name file:line.
 */
export function fuzzDatasets(cases: number, seed: number, dir: string, tokenizer: HfTokenizer | null): FuzzStats {
  const stats = newStats('datasets');
  const started = Date.now();
  const rng = createRng(seed);
  const file = join(dir, 'data.jsonl');
  for (let i = 0; i < cases; i++) {
    const line = 1 + rng.int(1000);
    const row = baseRow(rng);
    mutate(rng, row, rng.int(3));
    let text = JSON.stringify(row);
    const r = rng.next();
    if (r < 0.1) text = text.slice(0, rng.int(text.length));
    else if (r < 0.15) text = `${MARKER}${text}`;
    else if (r < 0.2) text = text.replace(/"/, `"${MARKER}\\u00`);
    const source = { file, line };
    classify(stats, `line #${i}`, () => void encodeExample(tokenizer, parseJsonLine(text, source), source), (m) => m.startsWith(`${file}:${line}:`));
  }
  // Whole files: random bytes, invalid UTF-8, long lines, empty — through the bounded reader.
  for (let i = 0; i < Math.max(100, cases / 100); i++) {
    const bytes = Buffer.alloc(rng.int(4096));
    for (let b = 0; b < bytes.length; b++) bytes[b] = rng.next() < 0.1 ? 10 : rng.int(256);
    writeFileSync(file, bytes);
    classify(
      stats,
      `file #${i}`,
      () => {
        for (const { line, text } of dataLines(file, { maxBytes: 1 << 20, maxLineBytes: 2048 })) {
          const src = { file, line };
          try {
            encodeExample(tokenizer, parseJsonLine(text, src), src);
          } catch (err) {
            if (!(err instanceof ExampleError)) throw err;
          }
        }
      },
      (m) => m.startsWith(`${file}:`),
    );
  }
  stats.seconds = (Date.now() - started) / 1000;
  return stats;
}

// ---------------------------------------------------------------- adapter folders

const FIXTURE_ADAPTER = join(ROOT, 'test/fixtures/lora/tiny-llama-qv');

/** The tiny Llama's 2-D weights by module path, as merge sees the base. */
export function tinyLlamaBase(): Map<string, BaseWeight> {
  const arch = findArchitecture('llama')!;
  const f = SafetensorsFile.open(join(LLAMA, 'model.safetensors'));
  try {
    const out = new Map<string, BaseWeight>();
    for (const t of f.header.tensors.values()) {
      if (t.shape.length === 2 && t.name.endsWith('.weight')) {
        out.set(arch.modulePath(t.name).replace(/\.weight$/, ''), { name: t.name, shape: t.shape, conv1d: arch.kindOf(t.name, t.shape) === 'conv1d' });
      }
    }
    return out;
  } finally {
    f.close();
  }
}

/**
 * Adapter folders made from the PEFT fixture with a mutated adapter_config.json
 * and/or mutated tensors (shapes, dtypes, NaN, missing or extra tensors), or a
 * corrupted safetensors file, through merge's complete validation.
 */
export function fuzzAdapterFolders(cases: number, seed: number, dir: string): FuzzStats {
  const stats = newStats('adapter folders');
  const started = Date.now();
  const rng = createRng(seed);
  const base = tinyLlamaBase();
  const config0 = JSON.parse(readFileSync(join(FIXTURE_ADAPTER, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
  const f = SafetensorsFile.open(join(FIXTURE_ADAPTER, 'adapter_model.safetensors'));
  const tensors0: TensorToWrite[] = [...f.header.tensors.values()].map((t) => ({ name: t.name, dtype: 'F32', shape: [...t.shape], data: f.readFloat32(t.name) }));
  f.close();
  const fixtureBytes = readFileSync(join(FIXTURE_ADAPTER, 'adapter_model.safetensors'));
  const adapter = join(dir, 'adapter');
  rmSync(adapter, { recursive: true, force: true });
  cpSync(FIXTURE_ADAPTER, adapter, { recursive: true });
  mkdirSync(adapter, { recursive: true });

  for (let i = 0; i < cases; i++) {
    const config = structuredClone(config0);
    const kind = rng.int(4);
    if (kind === 0 || kind === 3) mutate(rng, config, 1 + rng.int(2));
    writeFileSync(join(adapter, 'adapter_config.json'), rng.next() < 0.03 ? `{"peft_type": ${MARKER}` : JSON.stringify(config));
    if (kind === 1 || kind === 3) {
      const tensors: TensorToWrite[] = tensors0.map((t) => ({ ...t, data: (t.data as Float32Array).slice() }));
      for (let m = 0; m <= rng.int(2); m++) {
        const t = pick(rng, tensors);
        switch (rng.int(6)) {
          case 0: t.data[rng.int(t.data.length)] = pick(rng, [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]); break;
          case 1: { const r = 1 + rng.int(8); const cols = t.shape[1]!; t.shape = [r, cols]; t.data = new Float32Array(r * cols); break; }
          case 2: { const rows = t.shape[0]!; const c = 1 + rng.int(80); t.shape = [rows, c]; t.data = new Float32Array(rows * c); break; }
          case 3: tensors.splice(tensors.indexOf(t), 1); break;
          case 4: tensors.push({ name: `base_model.model.model.layers.${rng.int(4)}.self_attn.${pick(rng, ['k_proj', 'o_proj', 'zz_proj'])}.lora_${pick(rng, ['A', 'B', 'C'])}.weight`, dtype: 'F32', shape: [4, 64], data: new Float32Array(256) }); break;
          default: Object.assign(t, { dtype: pick(rng, ['F16', 'BF16', 'I32'] as const), data: pick(rng, ['F16', 'BF16']) ? t.data : new Int32Array(t.data.length) }); break;
        }
      }
      if (tensors.length === 0) tensors.push(tensors0[0]!);
      try {
        writeSafetensors(join(adapter, 'adapter_model.safetensors'), tensors.map((t) => (t.dtype === 'I32' ? { ...t, data: new Int32Array(t.data.length) } : t)));
      } catch {
        writeSafetensors(join(adapter, 'adapter_model.safetensors'), tensors0);
      }
    } else if (kind === 2) {
      const bytes = Buffer.from(fixtureBytes);
      for (let m = 0; m <= rng.int(4); m++) bytes[rng.int(Math.min(bytes.length, 2000))] = rng.int(256);
      writeFileSync(join(adapter, 'adapter_model.safetensors'), rng.next() < 0.2 ? bytes.subarray(0, rng.int(bytes.length)) : bytes);
    } else {
      writeFileSync(join(adapter, 'adapter_model.safetensors'), fixtureBytes);
    }
    classify(stats, `adapter #${i}`, () => validateAdapters([{ dir: adapter, weight: 1 }], base), (m) => m.includes(adapter));
  }
  stats.seconds = (Date.now() - started) / 1000;
  return stats;
}
