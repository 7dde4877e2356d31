// Generation with the key/value cache gives exactly the tokens that recomputing
// the whole sequence each step gives (greedy), and sampling is reproducible by seed,
// on every backend of test/backends.ts (wasm, cpu, webgpu).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { testOnBackends } from '../../../../test/backends';
import { loadModel } from '../models/load-model';
import { generate } from './generate';
import { argmax } from './sampling';

const MODELS = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'models');

for (const name of ['tiny-llama', 'tiny-gpt2']) {
  testOnBackends(`${name}: cached greedy generation equals uncached greedy decoding`, async (tf) => {
    const { model } = loadModel(tf, join(MODELS, name));
    try {
      const prompt = [1, 17, 42, 5, 33];
      const cached = await generate(model, prompt, { maxNewTokens: 12, temperature: 0, topP: 1, seed: 0, stopIds: [] });
      const seq = [...prompt];
      for (let i = 0; i < 12; i++) {
        const logits = model.forward([seq]);
        const all = await logits.data();
        logits.dispose();
        const v = model.options.vocabSize;
        seq.push(argmax(all.subarray((seq.length - 1) * v, seq.length * v)));
      }
      assert.deepEqual(cached, seq.slice(prompt.length));
    } finally {
      model.dispose();
    }
  });
}

testOnBackends('sampling with a seed is reproducible, and a stop id ends generation', async (tf) => {
  const { model } = loadModel(tf, join(MODELS, 'tiny-llama'));
  try {
    const before = tf.memory().numTensors;
    const opts = { maxNewTokens: 10, temperature: 0.9, topP: 0.95, seed: 7, stopIds: [] };
    const a = await generate(model, [1, 2, 3], opts);
    const b = await generate(model, [1, 2, 3], opts);
    assert.deepEqual(a, b);
    assert.equal(tf.memory().numTensors, before, 'generation leaked tensors');
    const stopped = await generate(model, [1, 2, 3], { ...opts, stopIds: [a[2]!] });
    assert.ok(stopped.length <= 3 && stopped.at(-1) === a[2]);
  } finally {
    model.dispose();
  }
});
