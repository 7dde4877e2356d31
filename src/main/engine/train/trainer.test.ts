// The training loop in-process on the real wasm backend: no tensor leaks across
// steps (the count after step 10 equals the count after step 200), and the loss
// falls on data the model can fit.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runConfigSchema } from '../../../shared/config/run-config';
import { selectBackend, type Tf } from '../backend';
import { runTraining } from './trainer';

const LLAMA = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'models', 'tiny-llama');
let tf: Tf;
before(async () => {
  tf = (await selectBackend({ prefer: 'wasm' })).tf;
});

test('the tfjs tensor count after step 10 equals the count after step 200, and the loss falls', async () => {
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
  const counts = new Map<number, number>();
  const losses: number[] = [];
  const before = tf.memory().numTensors;
  await runTraining(tf, { config, outputDir: out, resumeFrom: null, initFrom: null }, {
    shouldStop: () => false,
    onStep: ({ step, loss }) => {
      losses.push(loss);
      if (step === 10 || step === 200) counts.set(step, tf.memory().numTensors);
    },
  });
  assert.equal(counts.get(200), counts.get(10), `tensors after step 10: ${counts.get(10)}, after step 200: ${counts.get(200)}`);
  assert.equal(tf.memory().numTensors, before, 'tensors left behind after training');
  const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
  const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
  assert.ok(last < 0.8 * first, `loss went from ${first} to ${last}`);
});
