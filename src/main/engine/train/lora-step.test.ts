// One LoRA forward + backward step against the PyTorch reference (same weights,
// same batch): the loss within 1e-5 relative and the gradients of every lora_A
// and lora_B within 1e-4 (max abs difference relative to the tensor's largest value),
// on every backend of test/backends.ts (wasm, cpu, webgpu).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { testOnBackends } from '../../../../test/backends';
import { loadAdapter } from '../adapters/index';
import { SafetensorsFile } from '../io/safetensors/index';
import { transpose2d } from '../models/decoder/load';
import { loadModel } from '../models/load-model';
import { crossEntropySum, shiftTargets } from './cross-entropy';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures');

const cases = [
  { adapter: 'tiny-llama-qv', model: 'tiny-llama' },
  { adapter: 'tiny-llama-qv-rslora', model: 'tiny-llama' },
  { adapter: 'tiny-gpt2-cattn', model: 'tiny-gpt2' },
];

for (const c of cases) {
  testOnBackends(`${c.adapter}: loss and lora_A/lora_B gradients match PyTorch`, async (tf) => {
    const { model } = loadModel(tf, join(FIXTURES, 'models', c.model));
    const ref = SafetensorsFile.open(join(FIXTURES, 'lora', c.adapter, 'expected_grads.safetensors'));
    const before = tf.memory().numTensors;
    try {
      const adapter = loadAdapter(tf, join(FIXTURES, 'lora', c.adapter), model);
      const vars = adapter.layers.flatMap((l) => l.makeTrainable(tf));
      const rows = (name: string) => {
        const flat = Array.from(ref.read(name) as Int32Array);
        const t = flat.length / 3;
        return [0, 1, 2].map((i) => flat.slice(i * t, (i + 1) * t));
      };
      const ids = rows('input_ids');
      const mask = rows('attention_mask');
      const targets = shiftTargets(rows('labels'), model.options.vocabSize);
      const { value, grads } = tf.tidy(() =>
        tf.variableGrads(() => tf.div(crossEntropySum(tf, model.forward(ids, mask), targets), targets.count) as never, vars),
      );
      const loss = (await value.data())[0]!;
      const want = ref.readFloat32('loss')[0]!;
      assert.ok(Math.abs(loss - want) / want < 1e-5, `loss ${loss} vs ${want}`);

      for (const layer of adapter.layers) {
        for (const [which, v] of [['lora_A', layer.aT], ['lora_B', layer.bT]] as const) {
          const key = `base_model.model.${layer.module}.${which}.weight`;
          const expected = ref.readFloat32(key);
          const g = grads[(v as Variable).name] as Tensor;
          const [rows0, cols0] = g.shape as [number, number];
          // Ours is the transpose of PEFT's layout.
          const got = transpose2d((await g.data()) as Float32Array, rows0, cols0);
          const scale = Math.max(...expected.map(Math.abs));
          const worst = Math.max(...got.map((x, i) => Math.abs(x - expected[i]!)));
          assert.ok(worst / scale < 1e-4, `${key}: max abs diff ${worst} (largest value ${scale})`);
        }
      }
      value.dispose();
      Object.values(grads).forEach((g) => g.dispose());
      adapter.detach();
      assert.equal(tf.memory().numTensors, before, 'the step leaked tensors');
    } finally {
      ref.close();
      model.dispose();
    }
  });
}
