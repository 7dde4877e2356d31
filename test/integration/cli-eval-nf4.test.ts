// `loralab eval --quantize nf4 [--double-quant] [--adapter]` as a user runs it, against
// the losses scripts/fixtures/make_nf4_fixtures.py computes in PyTorch with the same NF4
// weights (issue 9 asks for 2e-3 relative; the float32 engine lands within 1e-5).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, ROOT } from '../helpers';

const fixtures = join(ROOT, 'test', 'fixtures');
const loralab = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
const expected = JSON.parse(readFileSync(join(fixtures, 'nf4', 'expected.json'), 'utf8')).models as Record<
  string,
  Record<'nf4' | 'double_quant', { eval_loss: number; tokens: number; adapters: Record<string, number> }>
>;

for (const [model, byMode] of Object.entries(expected)) {
  for (const mode of ['nf4', 'double_quant'] as const) {
    const ref = byMode[mode];
    const flags = ['--quantize', 'nf4', ...(mode === 'double_quant' ? ['--double-quant'] : [])];
    for (const adapter of [null, ...Object.keys(ref.adapters)]) {
      test(`eval ${flags.join(' ')} on ${model}${adapter ? ` with ${adapter}` : ''} matches PyTorch on the same NF4 weights`, () => {
        const dir = join(fixtures, 'models', model);
        const args = ['eval', '--model', dir, '--data', join(dir, 'eval.jsonl'), ...flags, '--json'];
        if (adapter) args.push('--adapter', join(fixtures, 'lora', adapter));
        const r = loralab(args);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stderr, /NF4 base \(\d+ linear weights, block 64/);
        const out = JSON.parse(r.stdout);
        const want = adapter ? ref.adapters[adapter]! : ref.eval_loss;
        assert.equal(out.tokens, ref.tokens);
        assert.ok(Math.abs(out.loss - want) / want < 1e-5, `${out.loss} vs ${want}`);
      });
    }
  }
}

test('the quantized base is not the float32 base: the NF4 loss differs from the unquantized one', () => {
  const dir = join(fixtures, 'models', 'tiny-llama');
  const full = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')).eval_loss as number;
  assert.ok(Math.abs(expected['tiny-llama']!.nf4.eval_loss - full) / full > 2e-3);
});

test('generate --quantize nf4 --double-quant runs the bundled model greedily and repeatably', () => {
  const model = join(ROOT, 'resources', 'models', 'lab-tiny-llama');
  const args = ['generate', '--model', model, '--prompt', 'The old man', '--max-new-tokens', '6', '--quantize', 'nf4', '--double-quant', '--json'];
  const a = loralab(args);
  assert.equal(a.status, 0, a.stderr);
  assert.match(a.stderr, /double-quantized/);
  const b = loralab(args);
  assert.equal(JSON.parse(a.stdout).text, JSON.parse(b.stdout).text);
  assert.ok(JSON.parse(a.stdout).tokens >= 1);
});

test('--double-quant without --quantize and an unknown --quantize type are usage errors', () => {
  const dir = join(fixtures, 'models', 'tiny-llama');
  const r1 = loralab(['eval', '--model', dir, '--data', join(dir, 'eval.jsonl'), '--double-quant']);
  assert.equal(r1.status, 2);
  assert.match(r1.stderr, /--double-quant applies to a quantized base/);
  const r2 = loralab(['eval', '--model', dir, '--data', join(dir, 'eval.jsonl'), '--quantize', 'int8']);
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /--quantize must be nf4, got int8/);
});
