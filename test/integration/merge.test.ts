// `loralab merge` on the PyTorch fixtures: every merged weight equals the one the
// independent PyTorch script merged (merged_weights.safetensors), the merged model's eval loss equals
// base + adapter (LoRA, rsLoRA, AdaLoRA; Llama and GPT-2's Conv1D), float16 and
// sharded output, unmerge, a weighted merge of two adapters, and a merge killed
// midway that leaves nothing at the destination and succeeds when rerun.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openCheckpoint, readHeader, SafetensorsFile, writeSafetensors } from '../../src/main/engine/io/safetensors/index';
import { writeJsonFile } from '../../src/main/engine/io/json-file';
import { CLI, ROOT, tempDir, waitFor } from '../helpers';

const F = join(ROOT, 'test', 'fixtures');
const loralab = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
const evalLoss = (model: string, data: string, adapter?: string) => {
  const r = loralab(['eval', '--model', model, '--data', data, '--json', ...(adapter ? ['--adapter', adapter] : [])]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout).loss as number;
};
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** Each weight PyTorch merged (float64, stored float32) against ours; the untouched rest equals the base. */
function assertMergedWeightsMatchPyTorch(out: string, golden: string): void {
  const expected = SafetensorsFile.open(golden);
  const merged = openCheckpoint(out);
  try {
    assert.ok(expected.header.tensors.size > 0);
    for (const name of expected.header.tensors.keys()) {
      const want = expected.readFloat32(name);
      const got = merged.readFloat32(name);
      assert.equal(got.length, want.length, name);
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < want.length; i++) {
        worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
        scale = Math.max(scale, Math.abs(want[i]!));
      }
      assert.ok(worst <= 1e-6 * Math.max(1, scale), `${name}: max |merged − PyTorch| = ${worst}`);
    }
  } finally {
    expected.close();
    merged.close();
  }
}

const cases = [
  { adapter: 'tiny-llama-qv', model: 'tiny-llama' },
  { adapter: 'tiny-llama-qv-rslora', model: 'tiny-llama' },
  { adapter: 'tiny-llama-adalora', model: 'tiny-llama' },
  { adapter: 'tiny-gpt2-cattn', model: 'tiny-gpt2' },
];

for (const c of cases) {
  test(`${c.adapter}: the merged model's eval loss equals base + adapter within 1e-5 (float32)`, () => {
    const out = join(tempDir(), 'merged');
    const base = join(F, 'models', c.model);
    const adapter = join(F, 'lora', c.adapter);
    const data = join(base, 'eval.jsonl');
    const r = loralab(['merge', '--base', base, '--adapter', adapter, '--out', out, '--json', '--registry', join(tempDir(), 'r.sqlite')]);
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.ok(summary.verify.maxAbsLogitDiff < 1e-4, `logit difference ${summary.verify.maxAbsLogitDiff}`);
    const merged = evalLoss(out, data);
    const adapted = evalLoss(base, data, adapter);
    assert.ok(rel(merged, adapted) < 1e-5, `merged ${merged} vs base + adapter ${adapted}`);
    const expected = JSON.parse(readFileSync(join(adapter, 'expected.json'), 'utf8')).merged_eval_loss;
    assert.ok(rel(merged, expected) < 1e-5, `merged ${merged} vs PyTorch ${expected}`);
    for (const f of ['config.json']) assert.ok(existsSync(join(out, f)));
    assertMergedWeightsMatchPyTorch(out, join(adapter, 'merged_weights.safetensors'));
  });
}

test('float16 output, sharding with an index, and unmerge', () => {
  const dir = tempDir();
  const base = join(F, 'models', 'tiny-llama');
  const adapter = join(F, 'lora', 'tiny-llama-qv');
  const data = join(base, 'eval.jsonl');
  const registry = join(dir, 'r.sqlite');
  const half = join(dir, 'half');
  assert.equal(loralab(['merge', '--base', base, '--adapter', adapter, '--out', half, '--dtype', 'float16', '--max-shard-size', '100KB', '--registry', registry]).status, 0);
  const index = JSON.parse(readFileSync(join(half, 'model.safetensors.index.json'), 'utf8'));
  const shards = [...new Set(Object.values(index.weight_map))] as string[];
  assert.ok(shards.length > 1, 'expected several shards');
  for (const s of shards) for (const t of readHeader(join(half, s)).tensors.values()) assert.equal(t.dtype, 'F16');
  assert.equal(JSON.parse(readFileSync(join(half, 'config.json'), 'utf8')).torch_dtype, 'float16');
  assert.ok(rel(evalLoss(half, data), evalLoss(base, data, adapter)) < 1e-3, 'float16 merge strays too far');

  const merged = join(dir, 'merged');
  const restored = join(dir, 'restored');
  assert.equal(loralab(['merge', '--base', base, '--adapter', adapter, '--out', merged, '--registry', registry]).status, 0);
  const r = loralab(['merge', '--base', merged, '--adapter', adapter, '--unmerge', '--out', restored, '--no-verify', '--registry', registry]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(rel(evalLoss(restored, data), evalLoss(base, data)) < 1e-5, 'unmerge did not restore the base model');
});

test('a weighted merge of two adapters equals both attached with their weights', () => {
  const base = join(F, 'models', 'tiny-llama');
  const a = join(F, 'lora', 'tiny-llama-qv');
  const b = join(F, 'lora', 'tiny-llama-qv-rslora');
  const r = loralab(['merge', '--base', base, '--adapter', `${a},${b}`, '--weights', '0.7,0.3', '--out', join(tempDir(), 'm'), '--json', '--registry', join(tempDir(), 'r.sqlite')]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(JSON.parse(r.stdout).verify.maxAbsLogitDiff < 1e-4);
});

test('a merge killed midway leaves nothing at the destination, and a rerun succeeds', async () => {
  // A model big enough (~100 MB) that the merge is still writing when it is killed.
  const dir = tempDir();
  const base = join(dir, 'base');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(base);
  const hidden = 1024;
  const names = Array.from({ length: 24 }, (_, i) => `model.layers.${i}.self_attn.q_proj.weight`);
  writeSafetensors(
    join(base, 'model.safetensors'),
    names.map((name, i) => ({ name, dtype: 'F32' as const, shape: [hidden, hidden], data: new Float32Array(hidden * hidden).fill(i / 100) })),
  );
  writeJsonFile(join(base, 'config.json'), { model_type: 'unknown-arch' });
  const adapter = join(dir, 'adapter');
  mkdirSync(adapter);
  writeJsonFile(join(adapter, 'adapter_config.json'), { peft_type: 'LORA', r: 2, lora_alpha: 4, target_modules: ['q_proj'] });
  writeSafetensors(join(adapter, 'adapter_model.safetensors'), [
    { name: `base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight`, dtype: 'F32', shape: [2, hidden], data: new Float32Array(2 * hidden).fill(0.01) },
    { name: `base_model.model.model.layers.3.self_attn.q_proj.lora_B.weight`, dtype: 'F32', shape: [hidden, 2], data: new Float32Array(2 * hidden).fill(0.02) },
  ]);
  const out = join(dir, 'out');
  const child = spawn(process.execPath, [CLI, 'merge', '--base', base, '--adapter', adapter, '--out', out, '--no-verify', '--registry', join(dir, 'r.sqlite')], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  await waitFor('the merge to start writing', () => readdirSync(dir).some((n) => n.startsWith('.out.') && readdirSync(join(dir, n)).length > 0), 60_000, 2);
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(existsSync(out), false, 'a half-written model is at the destination');

  const r = loralab(['merge', '--base', base, '--adapter', adapter, '--out', out, '--no-verify', '--registry', join(dir, 'r.sqlite')]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(join(out, 'model.safetensors')));
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.out.')), [], 'the killed merge\'s temporary folder was not cleaned up');
  const header = readHeader(join(out, 'model.safetensors'));
  assert.equal(header.tensors.size, names.length);
});
