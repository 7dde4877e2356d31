// Shared test helpers: temp folders, polling, and the skeleton config pointed at
// the bundled toy data. Nothing here stands in for LoRA Lab's own code.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

/** The built-in toy model on the bundled skeleton data, with `steps` steps. */
export function toyConfig(steps: number, overrides: Partial<RunConfig> = {}): RunConfig {
  return runConfigSchema.parse({
    name: `toy-${steps}`,
    model: 'builtin:char-mlp',
    method: 'full',
    data: { train: join(ROOT, 'resources/data/skeleton/train.jsonl') },
    train: { steps, batch_size: 32, lr: 0.01, seed: 7 },
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
