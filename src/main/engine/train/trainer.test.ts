// The training loop in-process on the real wasm backend: no tensor leaks across
// steps (for every method, the tfjs tensor count and bytes at each of steps 2–200
// equal those at step 2, through evals and checkpoints), and the loss falls on
// data the model can fit.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runConfigSchema, type RunConfigInput } from '../../../shared/config/run-config';
import { selectBackend, type Tf } from '../backend';
import { runTraining } from './trainer';

const LLAMA = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'models', 'tiny-llama');
let tf: Tf;
before(async () => {
  tf = (await selectBackend({ prefer: 'wasm' })).tf;
});

interface Count {
  step: number;
  tensors: number;
  bytes: number;
}

/**
 * The first step whose (tensors, bytes) differ from the step before, from step 2 on
 * (the optimizer's moments exist from step 1); with `mayShrink`, only growth counts
 * (AdaLoRA frees its importance scores once the ranks are final). null when none.
 */
function firstChange(counts: Count[], mayShrink = false): string | null {
  for (let i = 2; i < counts.length; i++) {
    const [a, b] = [counts[i - 1]!, counts[i]!];
    const grew = b.tensors > a.tensors || b.bytes > a.bytes;
    if (grew || (!mayShrink && (b.tensors !== a.tensors || b.bytes !== a.bytes))) {
      return `step ${a.step}: ${a.tensors} tensors, ${a.bytes} bytes; step ${b.step}: ${b.tensors} tensors, ${b.bytes} bytes`;
    }
  }
  return null;
}

test('the tfjs tensor count is the same at every step from 2 to 200, and the loss falls', async () => {
  const out = mkdtempSync(join(tmpdir(), 'loralab-trainer-'));
  after(() => rmSync(out, { recursive: true, force: true }));
  const config = runConfigSchema.parse({
    name: 'leak-check',
    model: LLAMA,
    method: 'lora',
    lora: { r: 4, alpha: 8, dropout: 0.05, targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] },
    data: { train: join(LLAMA, 'eval.jsonl'), eval: join(LLAMA, 'eval.jsonl'), max_seq_len: 64 },
    train: { steps: 200, batch_size: 2, grad_accum: 2, lr: 0.003, schedule: 'linear', warmup_steps: 10, eval_every: 50, save_every: 100, seed: 11 },
  });
  const counts: Count[] = [];
  const losses: number[] = [];
  const before = tf.memory().numTensors;
  await runTraining(tf, { config, outputDir: out, resumeFrom: null, initFrom: null }, {
    shouldStop: () => false,
    onStep: ({ step, loss }) => {
      losses.push(loss);
      counts.push({ step, tensors: tf.memory().numTensors, bytes: tf.memory().numBytes });
    },
  });
  assert.equal(counts.length, 200);
  assert.equal(firstChange(counts), null);
  assert.equal(tf.memory().numTensors, before, 'tensors left behind after training');
  const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
  const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
  assert.ok(last < 0.8 * first, `loss went from ${first} to ${last}`);
});

const others: { method: 'full' | 'qlora' | 'adalora'; extra: Partial<RunConfigInput> }[] = [
  { method: 'full', extra: {} },
  { method: 'qlora', extra: {} },
  // Ranks budgeted from 6 to 4 between steps 20 and 150 (a mask every 10 steps), then frozen.
  { method: 'adalora', extra: { adalora: { init_r: 6, target_r: 4, tinit: 20, tfinal: 50, delta_t: 10 } } },
];

for (const { method, extra } of others) {
  test(`${method}: the tfjs tensor count and bytes ${method === 'adalora' ? 'never grow' : 'are the same at every step'} from 2 to 200`, async () => {
    const out = mkdtempSync(join(tmpdir(), `loralab-trainer-${method}-`));
    after(() => rmSync(out, { recursive: true, force: true }));
    const config = runConfigSchema.parse({
      name: `leak-check-${method}`,
      model: LLAMA,
      method,
      ...(method === 'full' ? {} : { lora: { r: 4, alpha: 8, dropout: 0.05, targets: ['q_proj', 'v_proj'] } }),
      data: { train: join(LLAMA, 'eval.jsonl'), eval: join(LLAMA, 'eval.jsonl'), max_seq_len: 64 },
      train: { steps: 200, batch_size: 1, lr: 0.001, schedule: 'constant', warmup_steps: 0, eval_every: 100, save_every: 100, seed: 5 },
      ...extra,
    });
    const counts: Count[] = [];
    const before = tf.memory().numTensors;
    await runTraining(tf, { config, outputDir: out, resumeFrom: null, initFrom: null }, {
      shouldStop: () => false,
      onStep: ({ step }) => {
        counts.push({ step, tensors: tf.memory().numTensors, bytes: tf.memory().numBytes });
      },
    });
    assert.equal(counts.length, 200);
    assert.equal(firstChange(counts, method === 'adalora'), null);
    if (method === 'adalora') assert.equal(firstChange(counts.slice(150)), null, 'after the final allocation the count must stay put');
    assert.equal(tf.memory().numTensors, before, 'tensors left behind after training');
  });
}
