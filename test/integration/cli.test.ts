// The CLI contract, run as a user runs it: `node bin/loralab.mjs …` on the built dist.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { brokenGpuPackage, CLI, ROOT, tempDir } from '../helpers';

const loralab = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });

test('doctor --json prints one JSON object whose backend is wasm without tfjs-node', () => {
  const registry = join(tempDir(), 'r.sqlite');
  const r = loralab(['doctor', '--json', '--registry', registry], { LORALAB_BACKEND: '' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const report = JSON.parse(lines[0]!);
  assert.equal(report.backend, 'wasm');
  assert.equal(report.registryPath, registry);
  assert.equal(report.gpu.available, false);
  assert.ok(report.fallbacks.some((f: { package: string | null }) => f.package === '@tensorflow/tfjs-node-gpu'));
  assert.ok(report.cpus >= 1 && report.memoryBytes > 0);
});

test('doctor says why an installed GPU backend failed to load, and which backend it fell back to', () => {
  const r = loralab(['doctor', '--json'], { LORALAB_BACKEND: '', NODE_PATH: brokenGpuPackage() });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.backend, 'wasm');
  const gpu = report.fallbacks.find((f: { package: string | null }) => f.package === '@tensorflow/tfjs-node-gpu');
  assert.match(gpu.reason, /installed but failed to load: libcudnn\.so\.8/);
  const text = loralab(['doctor'], { LORALAB_BACKEND: '', NODE_PATH: brokenGpuPackage() });
  assert.match(text.stdout, /backend\s+wasm/);
  assert.match(text.stdout, /libcudnn\.so\.8/);
});

test('train records a run, and runs list/show --json read it back', () => {
  const dir = tempDir();
  const registry = join(dir, 'r.sqlite');
  const config = join(dir, 'toy.yaml');
  writeFileSync(
    config,
    `name: cli-toy\nmodel: builtin:char-mlp\nmethod: full\ndata: { train: ${join(ROOT, 'resources/data/skeleton/train.jsonl')} }\ntrain: { steps: 12, batch_size: 16, lr: 0.01 }\n`,
  );
  const r = loralab(['train', config, '--json', '--registry', registry]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.status, 'completed');
  assert.equal(out.lastStep, 12);

  const list = JSON.parse(loralab(['runs', 'list', '--json', '--registry', registry]).stdout);
  assert.deepEqual(list.runs.map((x: { id: number }) => x.id), [out.runId]);
  const show = JSON.parse(loralab(['runs', 'show', String(out.runId), '--json', '--registry', registry]).stdout);
  assert.equal(show.name, 'cli-toy');
  assert.equal(show.lossPoints, 12);
});

test('a bad config names the file and the path, with no stack trace', () => {
  const dir = tempDir();
  const config = join(dir, 'bad.yaml');
  writeFileSync(config, 'name: x\nmodel: builtin:char-mlp\ndata: { train: a.jsonl }\ntrain: { steps: -3, colour: red }\n');
  const r = loralab(['train', config, '--registry', join(dir, 'r.sqlite')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.yaml: invalid run config/);
  assert.match(r.stderr, /train\.steps/);
  assert.match(r.stderr, /colour/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('an option that belongs to another command is a usage error', () => {
  const r = loralab(['doctor', '--prompt', 'hello']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown option --prompt/);
});
