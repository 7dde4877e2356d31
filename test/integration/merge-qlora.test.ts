// `loralab merge --qlora-base dequantized|original`: a LoRA adapter merged into the NF4
// base dequantized computes what the quantized model + adapter computes (eval equals
// the PyTorch NF4 loss of scripts/fixtures/make_nf4_fixtures.py); merged into the
// original weights it equals the ordinary merge; both report and store the logit
// error against the NF4 base + unmerged adapter, in the folder and in the registry.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createServices } from '../../src/main/services/index';
import { CLI, ROOT, tempDir } from '../helpers';

const LLAMA = join(ROOT, 'test/fixtures/models/tiny-llama');
const ADAPTER = join(ROOT, 'test/fixtures/lora/tiny-llama-qv');
const DATA = join(LLAMA, 'eval.jsonl');
const loralab = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
const nf4 = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/nf4/expected.json'), 'utf8')).models['tiny-llama'];
const lora = JSON.parse(readFileSync(join(ADAPTER, 'expected.json'), 'utf8'));

test('merging a QLoRA adapter into the dequantized or the original base, with the logit error reported and stored', () => {
  const dir = tempDir();
  const registry = join(dir, 'registry.sqlite');
  const errors: Record<string, number> = {};
  for (const base of ['dequantized', 'original'] as const) {
    const out = join(dir, base);
    const r = loralab(['merge', '--base', LLAMA, '--adapter', ADAPTER, '--out', out, '--qlora-base', base, '--registry', registry, '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`QLoRA merge into the ${base} base: largest \\|logit error\\|`));
    const result = JSON.parse(r.stdout);
    assert.equal(result.qlora.qlora_base, base);
    assert.deepEqual(result.qlora.quant, { type: 'nf4', double_quant: true, block_size: 64 });
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'qlora_merge.json'), 'utf8')), result.qlora);
    errors[base] = result.qlora.max_abs_logit_error;

    const evaluated = loralab(['eval', '--model', out, '--data', DATA, '--json']);
    assert.equal(evaluated.status, 0, evaluated.stderr);
    const loss = JSON.parse(evaluated.stdout).loss;
    const want = base === 'dequantized' ? nf4.double_quant.adapters['tiny-llama-qv'] : lora.merged_eval_loss;
    assert.ok(Math.abs(loss - want) / want < 1e-5, `${base}: ${loss} vs ${want}`);
  }
  // Into the dequantized base the merge is exact up to float32; into the original weights it
  // differs from what was trained by the quantization error.
  assert.ok(errors.dequantized! < 1e-4, `dequantized: ${errors.dequantized}`);
  assert.ok(errors.original! > 100 * errors.dequantized!, `original ${errors.original} vs dequantized ${errors.dequantized}`);

  const services = createServices({ registryPath: registry, backend: 'wasm' });
  try {
    const stored = services.registry.artifacts.list({ kind: 'merged-model' }).map((a) => (a.meta as { qlora: { qlora_base: string } }).qlora.qlora_base);
    assert.deepEqual(stored.sort(), ['dequantized', 'original']);
  } finally {
    void services.close();
  }
});

test('--qlora-base takes dequantized or original and needs the verification', () => {
  const out = join(tempDir(), 'm');
  const bad = loralab(['merge', '--base', LLAMA, '--adapter', ADAPTER, '--out', out, '--qlora-base', 'nf4']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--qlora-base must be dequantized or original, got nf4/);
  const noVerify = loralab(['merge', '--base', LLAMA, '--adapter', ADAPTER, '--out', out, '--qlora-base', 'original', '--no-verify']);
  assert.equal(noVerify.status, 2);
  assert.match(noVerify.stderr, /cannot be combined with --no-verify/);
  const help = loralab(['merge', '--help']);
  assert.match(help.stdout, /--qlora-base dequantized\|original/);
});
