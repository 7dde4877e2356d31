// `loralab eval` as a user runs it, against the PyTorch reference losses.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, ROOT } from '../helpers';

const fixtures = join(ROOT, 'test', 'fixtures');
const loralab = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

for (const name of ['tiny-llama', 'tiny-gpt2']) {
  test(`eval --json on ${name} prints one {loss, perplexity, tokens} object matching PyTorch`, () => {
    const dir = join(fixtures, 'models', name);
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
    const r = loralab(['eval', '--model', dir, '--data', join(dir, 'eval.jsonl'), '--json']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0]!);
    assert.deepEqual(Object.keys(out).sort(), ['loss', 'perplexity', 'tokens']);
    assert.equal(out.tokens, expected.tokens);
    assert.ok(Math.abs(out.loss - expected.eval_loss) / expected.eval_loss < 1e-5, `${out.loss} vs ${expected.eval_loss}`);
    assert.ok(Math.abs(out.perplexity - Math.exp(expected.eval_loss)) / out.perplexity < 1e-4);
  });
}

test('eval --adapter applies a PEFT adapter', () => {
  const dir = join(fixtures, 'models', 'tiny-llama');
  const adapter = join(fixtures, 'lora', 'tiny-llama-qv');
  const expected = JSON.parse(readFileSync(join(adapter, 'expected.json'), 'utf8'));
  const r = loralab(['eval', '--model', dir, '--adapter', adapter, '--data', join(dir, 'eval.jsonl'), '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Math.abs(JSON.parse(r.stdout).loss - expected.eval_loss_adapted) / expected.eval_loss_adapted < 1e-5);
});

test('a text row on a model without tokenizer.json is a clear error naming the file and line', () => {
  const dir = join(fixtures, 'models', 'tiny-llama');
  const r = loralab(['eval', '--model', dir, '--data', join(ROOT, 'resources/data/brown/eval.jsonl')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /eval\.jsonl:1: .*needs a tokenizer/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('generate streams a greedy completion from the bundled model and --json reports it', () => {
  const model = join(ROOT, 'resources', 'models', 'lab-tiny-llama');
  const streamed = loralab(['generate', '--model', model, '--prompt', 'The old man', '--max-new-tokens', '8']);
  assert.equal(streamed.status, 0, streamed.stderr);
  const r = loralab(['generate', '--model', model, '--prompt', 'The old man', '--max-new-tokens', '8', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(out.tokens >= 1 && out.tokens <= 8);
  // Greedy decoding is deterministic, and the streamed text is the same completion.
  assert.equal(streamed.stdout.trimEnd(), out.text.trimEnd());
  // The prompt goes through the model's chat template, as training encoded the demo's rows; --raw sends it bare.
  // (An adapter trained on chat rows answers the bare prompt with end-of-sequence at once: an empty reply.)
  assert.equal(out.chatTemplate, true);
  assert.equal(out.renderedPrompt, '<|bos|><|im_start|>user\nThe old man<|im_end|>\n<|im_start|>assistant\n');
  const raw = JSON.parse(loralab(['generate', '--model', model, '--prompt', 'The old man', '--max-new-tokens', '4', '--raw', '--json']).stdout);
  assert.equal(raw.chatTemplate, false);
  assert.equal(raw.renderedPrompt, 'The old man');
  const sampled = ['--temperature', '0.8', '--top-p', '0.9', '--seed', '5', '--json'];
  const a = JSON.parse(loralab(['generate', '--model', model, '--prompt', 'The', '--max-new-tokens', '6', ...sampled]).stdout);
  const b = JSON.parse(loralab(['generate', '--model', model, '--prompt', 'The', '--max-new-tokens', '6', ...sampled]).stdout);
  assert.equal(a.text, b.text);
});
