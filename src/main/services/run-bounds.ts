// Refuses a run that cannot fit before any engine starts: the training-memory
// estimate (shared/math/memory.ts, from the model's tensor headers — nothing is
// loaded) against the memory the engine can have. Without this, train.batch_size
// 1e12 aborts V8 inside the engine and lora.r 100000 runs the wasm heap out of
// bounds, both recorded as crashes that say nothing about the config.
//
// The limit: the machine's physical memory, and for the wasm backend its 32-bit
// address space (WebAssembly memory is indexed by i32, so at most 4 GiB —
// WebAssembly Core Specification §2.3.8 memory types, limits ≤ 2^16 pages of 64 KiB).
import { totalmem } from 'node:os';
import { methodInfo } from '../../shared/config/methods';
import type { RunConfig } from '../../shared/config/run-config';
import type { AdapterMethod } from '../../shared/math/adapter-size';
import type { MemoryTerm } from '../../shared/math/memory';
import { LoraLabError } from '../../shared/ipc/result';
import { inspectModel } from './inspect';

export const WASM_MEMORY_LIMIT = 4 * 1024 ** 3;

/**
 * The memory an engine on `backend` ('wasm', 'cpu', 'tensorflow', 'auto' or unset)
 * can use at most. 'auto' picks wasm unless tfjs-node is installed (engine/backend.ts);
 * an installed but broken tfjs-node also falls back to wasm, so this errs on allowing.
 */
export function memoryLimit(backend: string | undefined): { bytes: number; what: string } {
  const ram = totalmem();
  if (resolvesToWasm(backend ?? process.env.LORALAB_BACKEND) && WASM_MEMORY_LIMIT < ram) {
    return { bytes: WASM_MEMORY_LIMIT, what: 'the wasm backend can address (4 GiB)' };
  }
  return { bytes: ram, what: `this machine has (${gb(ram)})` };
}

function resolvesToWasm(backend: string | undefined): boolean {
  if (backend === 'wasm') return true;
  if (backend && backend !== 'auto') return false;
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      require.resolve(pkg);
      return false;
    } catch {
      // not installed
    }
  }
  return true;
}

/** Which config paths drive each memory term, so the error names what to change. */
const PATHS_OF: Record<MemoryTerm['name'], (c: RunConfig) => string[]> = {
  weights: () => ['model'],
  adapter: rankPaths,
  gradients: rankPaths,
  optimizer: rankPaths,
  activations: () => ['train.batch_size', 'data.max_seq_len'],
  logits: () => ['train.batch_size', 'data.max_seq_len'],
};

/** What sizes the trainable parameters: the method's rank and targets, or (full) the model itself. */
function rankPaths(c: RunConfig): string[] {
  const path = methodInfo(c.method).rankPath;
  return path ? [path.join('.'), 'lora.targets'] : ['model'];
}

/**
 * Throws a VALIDATION error naming the config paths and the memory the run would
 * need when that exceeds what an engine can have. Models the inspector cannot read
 * (no config.json yet) are left to the engine, which names the file.
 */
export function checkRunBounds(config: RunConfig, backend: string | undefined): void {
  let estimate;
  const info = methodInfo(config.method);
  const full = info.result === 'model';
  try {
    const report = inspectModel(config.model, {
      // Full fine-tuning has no adapter; its estimate is the report's full-training comparison.
      method: full ? 'lora' : (config.method as AdapterMethod),
      rank: info.rank(config) ?? undefined,
      targetRank: info.targetRank(config) ?? undefined,
      targets: config.lora?.targets ?? null,
      batchSize: config.train.batch_size,
      seqLen: config.data.max_seq_len,
    });
    estimate = full ? { totalBytes: report.memory.compare.full, terms: [] as MemoryTerm[] } : report.memory;
  } catch {
    // A model folder the inspector cannot read is named by checkConfigFiles or the engine.
    return;
  }
  const limit = memoryLimit(backend);
  if (estimate.totalBytes <= limit.bytes) return;
  const largest = [...estimate.terms].sort((a, b) => b.bytes - a.bytes)[0];
  const paths = largest ? PATHS_OF[largest.name](config) : ['method', 'train.batch_size', 'data.max_seq_len'];
  const value = (p: string) => p.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], config);
  const named = paths.map((p) => `${p} (${JSON.stringify(value(p) ?? null)})`).join(', ');
  const message =
    `config ${named}: this run would need about ${gb(estimate.totalBytes)} of memory to train, ` +
    `more than ${limit.what}` +
    (largest ? `; most of it is ${largest.name}: ${largest.formula} = ${gb(largest.bytes)}` : ' (full fine-tuning: fp32 weights, gradients and AdamW moments)');
  throw new LoraLabError('VALIDATION', message, paths.map((p) => ({ path: `config.${p}`, message })));
}

function gb(bytes: number): string {
  const g = bytes / 1e9;
  return g >= 1e6 ? `${g.toExponential(2)} GB` : g >= 10 ? `${Math.round(g).toLocaleString('en-US')} GB` : `${g.toFixed(2)} GB`;
}
