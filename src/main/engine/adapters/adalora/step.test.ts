// One AdaLoRA training step against PyTorch (the fixture script computes PEFT's
// AdaLoraModel.forward on the same truncated adapter and batch): the loss
// CE + orth_reg_weight·R, R itself, and the gradients of every lora_A, lora_B and
// lora_E within 1e-4 of the largest value — so the orthogonal regularization is PEFT's —
// on every backend of test/backends.ts (wasm, cpu, webgpu).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import { testOnBackends } from '../../../../../test/backends';
import { SafetensorsFile } from '../../io/safetensors/index';
import { transpose2d } from '../../models/decoder/load';
import { loadModel } from '../../models/load-model';
import { crossEntropySum, shiftTargets } from '../../train/cross-entropy';
import { loadAdapter } from '../index';
import type { AdaloraLayer } from './layer';
import { orthRegularization } from './orth';

const FIXTURES = join(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures');
const DIR = join(FIXTURES, 'lora', 'tiny-llama-adalora');

testOnBackends('tiny-llama-adalora: CE + orth_reg_weight·R and the A, B, E gradients match PyTorch', async (tf) => {
  const { model } = loadModel(tf, join(FIXTURES, 'models', 'tiny-llama'));
  const ref = SafetensorsFile.open(join(DIR, 'expected_grads.safetensors'));
  const weight = JSON.parse(readFileSync(join(DIR, 'adapter_config.json'), 'utf8')).orth_reg_weight as number;
  const before = tf.memory().numTensors;
  try {
    const adapter = loadAdapter(tf, DIR, model);
    const layers = adapter.layers as AdaloraLayer[];
    const vars = layers.flatMap((l) => l.makeTrainable(tf));
    const rows = (name: string) => {
      const flat = Array.from(ref.read(name) as Int32Array);
      const t = flat.length / 3;
      return [0, 1, 2].map((i) => flat.slice(i * t, (i + 1) * t));
    };
    const targets = shiftTargets(rows('labels'), model.options.vocabSize);
    let reg: Tensor | null = null;
    const { value, grads } = tf.tidy(() =>
      tf.variableGrads(() => {
        const ce = tf.div(crossEntropySum(tf, model.forward(rows('input_ids'), rows('attention_mask')), targets), targets.count);
        reg = tf.keep(orthRegularization(tf, layers));
        return tf.add(ce, tf.mul(reg, weight)) as Scalar;
      }, vars),
    );
    const orth = (await reg!.data())[0]!;
    reg!.dispose();
    const loss = (await value.data())[0]!;
    const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);
    assert.ok(rel(orth, ref.readFloat32('orth_reg')[0]!) < 1e-5, `orth_reg ${orth} vs ${ref.readFloat32('orth_reg')[0]}`);
    assert.ok(rel(loss, ref.readFloat32('loss')[0]!) < 1e-5, `loss ${loss} vs ${ref.readFloat32('loss')[0]}`);

    for (const layer of layers) {
      for (const [which, v] of [['lora_A', layer.aT], ['lora_B', layer.bT], ['lora_E', layer.e]] as const) {
        const key = `base_model.model.${layer.module}.${which}`;
        const expected = ref.readFloat32(key);
        const g = grads[(v as Variable).name] as Tensor;
        // A and B are stored transposed; E is [r] for PEFT's [r, 1].
        const values = (await g.data()) as Float32Array;
        const got = g.rank === 2 ? transpose2d(values, g.shape[0]!, g.shape[1]!) : values;
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
