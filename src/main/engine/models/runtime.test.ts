// The model runtime against the PyTorch golden fixtures (test/fixtures/models,
// made by scripts/fixtures/make_fixtures.py): logits within 1e-4 max abs, batched
// with right padding and unbatched, and the eval loss within 1e-5 relative — on
// every backend of test/backends.ts (wasm, cpu, webgpu).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testOnBackends } from '../../../../test/backends';
import { evaluate } from '../infer/evaluate';
import { SafetensorsFile } from '../io/safetensors/index';
import { loadModel } from './load-model';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'models');

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

for (const name of ['tiny-llama', 'tiny-qwen2', 'tiny-gpt2']) {
  testOnBackends(name, async (tf, t) => {
    const dir = join(FIXTURES, name);
    const expected = () => JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
    const before = tf.memory().numTensors;

    await t.test('unbatched logits match PyTorch within 1e-4', async () => {
      const { model } = loadModel(tf, dir);
      const ref = SafetensorsFile.open(join(dir, 'expected.safetensors'));
      try {
        for (const [k, ids] of (expected().sequences as number[][]).entries()) {
          const logits = model.forward([ids]);
          const got = (await logits.data()) as Float32Array;
          logits.dispose();
          const diff = maxAbsDiff(got, ref.readFloat32(`logits_single_${k}`));
          assert.ok(diff < 1e-4, `sequence ${k}: max abs diff ${diff}`);
        }
      } finally {
        ref.close();
        model.dispose();
      }
    });

    await t.test('batched, right-padded logits match PyTorch at real positions within 1e-4', async () => {
      const { model } = loadModel(tf, dir);
      const ref = SafetensorsFile.open(join(dir, 'expected.safetensors'));
      try {
        const ids = Array.from(ref.read('input_ids') as Int32Array);
        const mask = Array.from(ref.read('attention_mask') as Int32Array);
        const [b, t] = [3, ids.length / 3];
        const rows = (xs: number[]) => Array.from({ length: b }, (_, i) => xs.slice(i * t, (i + 1) * t));
        const logits = model.forward(rows(ids), rows(mask));
        const got = (await logits.data()) as Float32Array;
        logits.dispose();
        const want = ref.readFloat32('logits_batched');
        const v = got.length / (b * t);
        let worst = 0;
        for (let i = 0; i < b * t; i++) {
          if (mask[i] !== 1) continue;
          worst = Math.max(worst, maxAbsDiff(got.subarray(i * v, (i + 1) * v), want.subarray(i * v, (i + 1) * v)));
        }
        assert.ok(worst < 1e-4, `max abs diff ${worst}`);
      } finally {
        ref.close();
        model.dispose();
      }
    });

    await t.test('eval loss over the file matches within 1e-5 relative, batched and unbatched', async () => {
      const { model } = loadModel(tf, dir);
      try {
        const e = expected();
        const examples = e.sequences.map((ids: number[]) => ({ inputIds: ids, labels: ids }));
        for (const batchSize of [1, 3]) {
          const r = await evaluate(model, examples, { batchSize });
          assert.equal(r.tokens, e.tokens);
          const rel = Math.abs(r.loss - e.eval_loss) / e.eval_loss;
          assert.ok(rel < 1e-5, `batch ${batchSize}: loss ${r.loss} vs ${e.eval_loss} (rel ${rel})`);
        }
      } finally {
        model.dispose();
      }
    });
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });
}
