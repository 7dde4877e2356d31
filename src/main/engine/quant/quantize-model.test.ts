// The quantized base: which layers become NF4 and in which layout (codes equal to the
// PyTorch fixture for a Llama Linear and a GPT-2 Conv1D weight), the forward and the
// input gradient of a quantized layer equal those of its dequantized float32 weight,
// no gradient reaches the frozen codes, no float32 copy outlives a step, and a merge
// into the dequantized base writes the very values training ran on. The first two
// run on every backend of test/backends.ts (wasm, cpu, webgpu).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { Tensor2D } from '@tensorflow/tfjs';
import { testOnBackends } from '../../../../test/backends';
import { selectBackend, type Tf } from '../backend';
import { SafetensorsFile } from '../io/safetensors/file';
import { applyLinear, makeLinear } from '../models/decoder/linear';
import { transpose2d } from '../models/decoder/load';
import { loadModel } from '../models/load-model';
import { Nf4Weight, bytesPerParameter } from './nf4-weight';
import { dequantizedLike } from './qlora-merge';
import { quantizeModel } from './quantize-model';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures');
let tf: Tf;
before(async () => {
  tf = (await selectBackend({ prefer: 'wasm' })).tf;
});

const ref = SafetensorsFile.open(join(FIXTURES, 'nf4', 'nf4.safetensors'));
process.on('exit', () => ref.close());

for (const [model, module] of [
  ['tiny-llama', 'model.layers.0.self_attn.q_proj'],
  ['tiny-gpt2', 'transformer.h.0.attn.c_attn'],
] as const) {
  testOnBackends(`${model}: every decoder-block linear is NF4, the head and embeddings stay float32, codes as bitsandbytes packs them`, async (tf) => {
    const { model: m } = loadModel(tf, join(FIXTURES, 'models', model));
    try {
      const floatTensors = m.tensors().length;
      const base = await quantizeModel(m, { type: 'nf4', block_size: 64, double_quant: false });
      const lin = m.linears().find((l) => l.name === module)!;
      assert.deepEqual(Array.from(lin.quantized!.blocks.packed), Array.from(ref.read(`${model}.packed`) as Uint8Array));
      assert.deepEqual(Array.from(lin.quantized!.blocks.absmax), Array.from(ref.readFloat32(`${model}.absmax`)));
      assert.equal(m.weights.lmHead.quantized, null);
      assert.ok(m.weights.lmHead.w || m.weights.tiedHead);
      const perLayer = model === 'tiny-llama' ? 7 : 4;
      assert.equal(base.linears.length, perLayer * m.weights.layers.length);
      assert.ok(base.linears.every((l) => l.w === null && l.quantized));
      // The float32 weights are gone: only embeddings, norms, biases and the head remain as tensors.
      assert.equal(m.tensors().length, floatTensors - base.linears.length);
      assert.ok(bytesPerParameter(base.weights) <= 0.5625 + 1e-9);
    } finally {
      m.dispose();
    }
  });
}

testOnBackends('a quantized layer: forward = x·dequant(W), dX = dY·dequant(W), no float32 weight left behind', async (tf) => {
  const out = 48;
  const inF = 64;
  const wOutIn = Float32Array.from({ length: out * inF }, (_, i) => Math.sin(i * 0.37) * 0.1);
  for (const doubleQuant of [false, true]) {
    const q = Nf4Weight.quantize(wOutIn, out, inF, { block_size: 64, double_quant: doubleQuant });
    const deqInOut = q.dequantizeInOut();
    assert.deepEqual(deqInOut, transpose2d(q.dequantizeOutIn(), out, inF));
    const lin = makeLinear('layer', tf.zeros([inF, out]) as Tensor2D, null);
    lin.w!.dispose();
    lin.w = null;
    lin.quantized = q;
    const dense = tf.tensor2d(deqInOut, [inF, out]);
    const x = tf.tensor2d(Float32Array.from({ length: 5 * inF }, (_, i) => Math.cos(i * 0.11)), [5, inF]);
    const dy = tf.tensor2d(Float32Array.from({ length: 5 * out }, (_, i) => Math.sin(i * 0.7)), [5, out]);
    const before = tf.memory().numTensors;
    const y = applyLinear(tf, lin, x);
    const dx = tf.grad((t) => applyLinear(tf, lin, t))(x, dy) as Tensor2D;
    // Only y and dx remain: the dequantized copies of the weight were freed.
    assert.equal(tf.memory().numTensors, before + 2);
    const yRef = tf.matMul(x, dense);
    const dxRef = tf.matMul(dy, dense, false, true);
    const maxDiff = async (a: Tensor2D, b: Tensor2D) => {
      const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
      return (await d.data().finally(() => d.dispose()))[0]!;
    };
    assert.ok((await maxDiff(y as Tensor2D, yRef as Tensor2D)) < 1e-5);
    assert.ok((await maxDiff(dx, dxRef as Tensor2D)) < 1e-5);
    [y, dx, yRef, dxRef, dense, x, dy].forEach((t) => t.dispose());
    assert.ok(q.bytes / q.size <= (doubleQuant ? 0.52 : 0.57));
  }
});

test('a merge into the dequantized base writes, in the checkpoint layout, exactly the values the runtime dequantizes', async () => {
  for (const [model, tensor, module, conv1d] of [
    ['tiny-llama', 'model.layers.1.mlp.down_proj.weight', 'model.layers.1.mlp.down_proj', false],
    ['tiny-gpt2', 'h.1.mlp.c_fc.weight', 'transformer.h.1.mlp.c_fc', true],
  ] as const) {
    const stored = SafetensorsFile.open(join(FIXTURES, 'models', model, 'model.safetensors'));
    const data = stored.readFloat32(tensor);
    const shape = stored.header.tensors.get(tensor)!.shape;
    stored.close();
    const { model: m } = loadModel(tf, join(FIXTURES, 'models', model));
    try {
      const quant = { type: 'nf4', block_size: 64, double_quant: true } as const;
      await quantizeModel(m, quant);
      const lin = m.linears().find((l) => l.name === module)!;
      // The checkpoint layout is [out, in] for nn.Linear and the runtime's [in, out] for Conv1D.
      const runtime = conv1d ? lin.quantized!.dequantizeInOut() : lin.quantized!.dequantizeOutIn();
      assert.deepEqual(dequantizedLike(data, shape, conv1d, quant), runtime);
    } finally {
      m.dispose();
    }
  }
});
