// The CLI contract, run as a user runs it: `node bin/loralab.mjs …` on the built dist.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { brokenGpuPackage, CLI, ROOT, tempDir, TINY_MODEL } from '../helpers';

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

test('train records a run, and runs list/show/tag/delete --json read and change it', () => {
  const dir = tempDir();
  const registry = join(dir, 'r.sqlite');
  const config = join(dir, 'tiny.yaml');
  writeFileSync(
    config,
    `name: cli-tiny\nmodel: ${TINY_MODEL}\nmethod: lora\nlora: { r: 4, alpha: 8 }\ndata: { train: ${join(TINY_MODEL, 'eval.jsonl')}, eval: ${join(TINY_MODEL, 'eval.jsonl')} }\ntrain: { steps: 12, batch_size: 2, lr: 0.01, eval_every: 6 }\n`,
  );
  const r = loralab(['train', config, '--json', '--registry', registry]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.status, 'completed');
  assert.equal(out.lastStep, 12);

  const list = JSON.parse(loralab(['runs', 'list', '--json', '--registry', registry]).stdout);
  assert.deepEqual(list.runs.map((x: { id: number }) => x.id), [out.runId]);
  const [summary] = list.runs;
  assert.equal(summary.rank, 4);
  assert.equal(summary.baseModel, TINY_MODEL);
  assert.ok(summary.bestEvalLoss > 0 && summary.adapterBytes > 0 && summary.durationMs > 0);
  // PEFT's Llama default targets q_proj [64→64] and v_proj [64→32] (2 kv heads × 16): 2 layers × r·(in + out)
  assert.equal(summary.trainableParams, 2 * (4 * (64 + 64) + 4 * (64 + 32)));
  const show = JSON.parse(loralab(['runs', 'show', String(out.runId), '--json', '--registry', registry]).stdout);
  assert.equal(show.name, 'cli-tiny');
  assert.equal(show.lossPoints, 12);
  assert.deepEqual(show.artifacts.map((a: { kind: string }) => a.kind), ['adapter']);
  assert.deepEqual(show.finalRanks, []);

  const tagged = JSON.parse(loralab(['runs', 'tag', String(out.runId), 'baseline', 'r4', '--json', '--registry', registry]).stdout);
  assert.deepEqual(tagged.tags, ['baseline', 'r4']);
  const deleted = loralab(['runs', 'delete', String(out.runId), '--json', '--registry', registry]);
  assert.equal(deleted.status, 0, deleted.stderr);
  assert.ok(!existsSync(show.artifacts[0].path), 'the run folder is gone');
  assert.deepEqual(JSON.parse(loralab(['runs', 'list', '--json', '--registry', registry]).stdout).runs, []);
});

test('a bad config names the file and the path, with no stack trace', () => {
  const dir = tempDir();
  const config = join(dir, 'bad.yaml');
  writeFileSync(config, 'name: x\nmodel: some/model\ndata: { train: a.jsonl }\ntrain: { steps: -3, colour: red }\n');
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

test('loralab <command> --help prints that command\'s own usage, and --help the list of commands', () => {
  for (const [command, option] of [['inspect', '--target-rank'], ['generate', '--raw'], ['merge', '--max-shard-size'], ['runs', 'runs delete <id>'], ['eval', '--batch-size']] as const) {
    const r = loralab([command, '--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^usage: loralab ${command} `));
    assert.ok(r.stdout.includes(option), `${command} --help mentions ${option}`);
    assert.doesNotMatch(r.stdout, /loralab demo/, 'only its own usage');
  }
  const all = loralab(['--help']);
  assert.equal(all.status, 0);
  for (const c of ['doctor', 'inspect', 'eval', 'generate', 'train', 'resume', 'runs', 'merge', 'ui', 'demo']) assert.match(all.stdout, new RegExp(`^  ${c} `, 'm'));
  // A usage error shows the command's usage too.
  const bad = loralab(['merge', '--base', 'x']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /merge needs --base/);
  assert.match(bad.stderr, /usage: loralab merge /);
});
