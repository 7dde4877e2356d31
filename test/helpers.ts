// Shared test helpers: temp folders, polling, and a run config on the tiny Llama
// fixture. Nothing here stands in for LoRA Lab's own code.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { RunConfig } from '../src/shared/config/run-config';
import { runConfigSchema } from '../src/shared/config/run-config';

export const ROOT = join(__dirname, '..');
export const CLI = join(ROOT, 'bin', 'loralab.mjs');

export function tempDir(prefix = 'loralab-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | null, timeoutMs = 60_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The tiny Llama fixture (2 layers, hidden 64) and its pre-tokenized rows: a real LoRA run of `steps` steps in milliseconds each. */
export const TINY_MODEL = join(ROOT, 'test/fixtures/models/tiny-llama');

export function tinyConfig(steps: number, overrides: Partial<RunConfig> = {}): RunConfig {
  return runConfigSchema.parse({
    name: `tiny-${steps}`,
    model: TINY_MODEL,
    method: 'lora',
    lora: { r: 4, alpha: 8 },
    data: { train: join(TINY_MODEL, 'eval.jsonl'), max_seq_len: 32 },
    train: { steps, batch_size: 2, lr: 0.01, seed: 7 },
    ...overrides,
  });
}

/**
 * A folder holding a stand-in for an installed-but-broken @tensorflow/tfjs-node-gpu
 * (what a machine without CUDA/cuDNN libraries has). Put it on NODE_PATH of a
 * child process: Node's own module resolution then finds it, as it would a real one.
 */
export function brokenGpuPackage(): string {
  const dir = tempDir('loralab-broken-gpu-');
  const pkg = join(dir, 'node_modules', '@tensorflow', 'tfjs-node-gpu');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node-gpu', version: '4.22.0', main: 'index.js' }));
  writeFileSync(join(pkg, 'index.js'), "throw new Error('libcudnn.so.8: cannot open shared object file: No such file or directory');\n");
  return join(dir, 'node_modules');
}

/** Whether both optional webgpu packages resolve from LoRA Lab's root (the engine's own check decides whether they load). */
export function webgpuPackagesInstalled(): boolean {
  const req = createRequire(join(ROOT, 'noop.js'));
  try {
    req.resolve('webgpu');
    req.resolve('@tensorflow/tfjs-backend-webgpu');
    return true;
  } catch {
    return false;
  }
}
