// PEFT adapters made by the PyTorch fixture script load onto the runtime and give
// the reference's adapted eval loss: LoRA, rsLoRA, LoRA on GPT-2's Conv1D, AdaLoRA.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { selectBackend, type Tf } from '../backend';
import { evaluate } from '../infer/evaluate';
import { loadModel } from '../models/load-model';
import { loadAdapter } from './index';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures');
let tf: Tf;
before(async () => {
  tf = (await selectBackend({ prefer: 'wasm' })).tf;
});

const cases = [
  { adapter: 'tiny-llama-qv', model: 'tiny-llama', layers: 4 },
  { adapter: 'tiny-llama-qv-rslora', model: 'tiny-llama', layers: 4 },
  { adapter: 'tiny-gpt2-cattn', model: 'tiny-gpt2', layers: 2 },
  { adapter: 'tiny-llama-adalora', model: 'tiny-llama', layers: 4 },
];

for (const c of cases) {
  test(`${c.adapter}: the adapted eval loss matches PyTorch within 1e-5 relative, and detaching restores the base`, async () => {
    const dir = join(FIXTURES, 'lora', c.adapter);
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
    const modelDir = join(FIXTURES, 'models', c.model);
    const examples = readFileSync(join(modelDir, 'eval.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).input_ids as number[])
      .map((ids) => ({ inputIds: ids, labels: ids }));
    const { model } = loadModel(tf, modelDir);
    try {
      const adapter = loadAdapter(tf, dir, model);
      assert.equal(adapter.layers.length, c.layers);
      const adapted = await evaluate(model, examples, { batchSize: 3 });
      const rel = Math.abs(adapted.loss - expected.eval_loss_adapted) / expected.eval_loss_adapted;
      assert.ok(rel < 1e-5, `adapted loss ${adapted.loss} vs ${expected.eval_loss_adapted} (rel ${rel})`);
      adapter.detach();
      const base = await evaluate(model, examples, { batchSize: 3 });
      assert.ok(Math.abs(base.loss - expected.eval_loss_base) / expected.eval_loss_base < 1e-5);
    } finally {
      model.dispose();
    }
  });
}
