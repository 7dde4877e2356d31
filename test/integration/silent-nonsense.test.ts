// Inputs that used to give nonsense without a word, run as a user runs them (the
// CLI, real engine processes, real files): each is now an error that names the
// file and the tensor, line or key — and what is wrong, not the bytes.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SafetensorsFile, writeSafetensors, type TensorToWrite } from '../../src/main/engine/io/safetensors/index';
import { ROOT, tempDir } from '../helpers';
import { cli, LLAMA } from '../fault/tiny-run';

const DATA = join(LLAMA, 'eval.jsonl');
const noStack = (stderr: string) => assert.doesNotMatch(stderr, /^\s+at .+:\d+:\d+\)?$/m, stderr);

/** A copy of a folder with one tensor of one safetensors file changed. */
function withPoison(src: string, file: string, tensor: string, value: number): string {
  const dir = join(tempDir(), 'copy');
  cpSync(src, dir, { recursive: true });
  const f = SafetensorsFile.open(join(dir, file));
  const tensors: TensorToWrite[] = [...f.header.tensors.values()].map((t) => ({ name: t.name, dtype: 'F32', shape: [...t.shape], data: f.readFloat32(t.name) }));
  f.close();
  tensors.find((t) => t.name === tensor)!.data[3] = value;
  writeSafetensors(join(dir, file), tensors);
  return dir;
}

function trainConfig(dir: string, overrides: Record<string, unknown>): string {
  const file = join(dir, 'run.json');
  writeFileSync(
    file,
    JSON.stringify({ name: 'nonsense', model: LLAMA, method: 'lora', data: { train: DATA, max_seq_len: 64 }, train: { steps: 3, batch_size: 2 }, ...overrides }),
  );
  return file;
}

test('an adapter with a NaN: eval fails naming the adapter file and the tensor (not {"loss": null})', () => {
  const tensor = 'base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight';
  const adapter = withPoison(join(ROOT, 'test/fixtures/lora/tiny-llama-qv'), 'adapter_model.safetensors', tensor, Number.NaN);
  const r = cli(['eval', '--model', LLAMA, '--adapter', adapter, '--data', DATA, '--json'], join(tempDir(), 'r.sqlite'));
  assert.notEqual(r.status, 0, r.stdout);
  assert.match(r.stderr, new RegExp(`adapter_model\\.safetensors: tensor "${tensor.replace(/\./g, '\\.')}" has NaN`));
  noStack(r.stderr);
});

test('base weights with a NaN: training fails saying the base checkpoint has NaN (not "lower the learning rate"); eval too', () => {
  const tensor = 'model.layers.0.mlp.down_proj.weight';
  const model = withPoison(LLAMA, 'model.safetensors', tensor, Number.NaN);
  const dir = tempDir();
  const registry = join(dir, 'r.sqlite');
  const r = cli(['train', trainConfig(dir, { model }), '--json'], registry);
  assert.notEqual(r.status, 0);
  const error = JSON.parse(r.stdout).error as string;
  assert.match(error, new RegExp(`base checkpoint .*model\\.safetensors has NaN in tensor "${tensor.replace(/\./g, '\\.')}"`));
  assert.doesNotMatch(error, /learning rate/);

  const e = cli(['eval', '--model', model, '--data', DATA], registry);
  assert.notEqual(e.status, 0);
  assert.match(e.stderr, /base checkpoint .*has NaN in tensor/);
  noStack(e.stderr);
});

test('labels all -100 and out-of-vocabulary ids are refused before training, naming the file (and line)', () => {
  const dir = tempDir();
  const ignored = join(dir, 'ignored.jsonl');
  writeFileSync(ignored, `${JSON.stringify({ input_ids: [1, 2, 3], labels: [-100, -100, -100] })}\n`);
  const a = cli(['train', trainConfig(dir, { data: { train: ignored } }), '--json'], join(dir, 'a.sqlite'));
  assert.notEqual(a.status, 0);
  assert.match(JSON.parse(a.stdout).error, new RegExp(`${ignored}: no example has a token to learn`));

  const oov = join(dir, 'oov.jsonl');
  writeFileSync(oov, `${JSON.stringify({ input_ids: [1, 2, 3] })}\n${JSON.stringify({ input_ids: [1, 5000, 3] })}\n`);
  const b = cli(['train', trainConfig(dir, { data: { train: oov } }), '--json'], join(dir, 'b.sqlite'));
  assert.notEqual(b.status, 0);
  assert.match(JSON.parse(b.stdout).error, new RegExp(`${oov}:2: "input_ids"\\[1\\] is 5000, outside the model's vocabulary \\(vocab_size 128\\)`));
});

test('inspect refuses a config.json that contradicts the tensor headers (hidden_size 1e12)', () => {
  const dir = join(tempDir(), 'model');
  cpSync(LLAMA, dir, { recursive: true });
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, hidden_size: 1e12 }));
  const r = cli(['inspect', dir, '--json'], join(tempDir(), 'r.sqlite'));
  assert.notEqual(r.status, 0, r.stdout);
  assert.match(r.stderr, /config\.json contradicts the weights: .*"model\.embed_tokens\.weight".*\[128, 1000000000000\].*\[128, 64\]/);
  noStack(r.stderr);
});
