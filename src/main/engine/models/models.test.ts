// Architecture specs: every bundled preset's derived parameter count against its
// published count and the LoRA r=8 counts PEFT reports for the Hub configs, config parsing with HF
// defaults and typed errors, ChatGLM v1 vs v2/v3, and checkpoint naming.
// Run: node --import tsx --test src/main/engine/models/models.test.ts
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { adapterSize, baseParamCount } from '../../../shared/math/adapter-size';
import { architectureFor, findArchitecture, knownModelTypes, ModelConfigError, type ModelSpec } from './index';

const PRESETS = join(__dirname, '../../../../resources/presets');
const ALL_LINEAR = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];

// the models' config.json and modeling files on the Hugging Face Hub: total params, LoRA r=8 on PEFT's default targets, LoRA r=8 on all 7 linears.
const EXPECTED: Record<string, [number, number, number | null]> = {
  'llama-2-7b': [6_738_415_616, 4_194_304, 19_988_480],
  'meta-llama-3-8b': [8_030_261_248, 3_407_872, 20_971_520],
  'mistral-7b-v0.1': [7_241_732_096, 3_407_872, 20_971_520],
  'qwen2.5-0.5b': [494_032_768, 540_672, 4_399_104],
  'qwen2.5-7b': [7_615_616_512, 2_523_136, 20_185_088],
  'tinyllama-1.1b': [1_100_048_384, 1_126_400, 6_307_840],
  'smollm2-135m': [134_515_008, 460_800, 2_442_240],
  gpt2: [124_439_808, 294_912, null],
  'chatglm-6b': [6_173_286_400, 3_670_016, null],
  'chatglm2-6b': [6_243_584_000, 1_949_696, null],
  'chatglm3-6b': [6_243_584_000, 1_949_696, null],
};

function loadPreset(id: string) {
  const file = join(PRESETS, `${id}.json`);
  const preset = JSON.parse(readFileSync(file, 'utf8')) as { id: string; hfId: string; publishedParams: number; source: string; config: unknown };
  const arch = architectureFor(preset.config, file);
  const spec = arch.parseConfig(preset.config, file);
  return { preset, arch, spec, tensors: arch.tensorShapes(spec) };
}

test('the presets folder holds exactly the expected presets, each well-formed', () => {
  const ids = readdirSync(PRESETS).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  assert.deepEqual(ids, Object.keys(EXPECTED).sort());
  for (const id of ids) {
    const { preset } = loadPreset(id);
    assert.equal(preset.id, id);
    assert.match(preset.hfId, /^[\w.-]+\/[\w.-]+$/);
    assert.ok(preset.source.length > 10);
  }
});

for (const [id, [total, defaultLora, allLinear]] of Object.entries(EXPECTED)) {
  test(`${id}: derived parameter count and LoRA r=8 counts match the published ones`, () => {
    const { preset, arch, spec, tensors } = loadPreset(id);
    const tied = arch.tiedWeights(spec);
    assert.equal(baseParamCount(tensors, tied), total);
    assert.equal(preset.publishedParams, total);
    const names = new Set(tensors.map((t) => t.name));
    assert.equal(names.size, tensors.length, 'tensor names are unique');
    const lora = (targets: string[]) =>
      adapterSize({ tensors, method: 'lora', r: 8, alpha: 16, targets, modulePath: arch.modulePath, tied }).trainableParams;
    assert.equal(lora(arch.defaultTargets.lora), defaultLora);
    if (allLinear !== null) assert.equal(lora(ALL_LINEAR), allLinear);
  });
}

test('PEFT default targets, LoRA and AdaLoRA (no AdaLoRA entry for mistral or chatglm)', () => {
  const t = (type: string) => findArchitecture(type)!.defaultTargets;
  assert.deepEqual(t('llama'), { lora: ['q_proj', 'v_proj'], adalora: ['q_proj', 'v_proj'] });
  assert.deepEqual(t('qwen2'), { lora: ['q_proj', 'v_proj'], adalora: ['q_proj', 'v_proj'] });
  assert.deepEqual(t('mistral'), { lora: ['q_proj', 'v_proj'], adalora: null });
  assert.deepEqual(t('gpt2'), { lora: ['c_attn'], adalora: ['c_attn'] });
  assert.deepEqual(t('chatglm'), { lora: ['query_key_value'], adalora: null });
  assert.deepEqual(knownModelTypes(), ['chatglm', 'gpt2', 'llama', 'mistral', 'qwen2']);
});

test('ChatGLM-6B and ChatGLM2/3 share model_type "chatglm" and are told apart by their keys', () => {
  const v1 = loadPreset('chatglm-6b');
  const v2 = loadPreset('chatglm2-6b');
  assert.equal(v1.spec.variant, 'chatglm');
  assert.equal(v2.spec.variant, 'chatglm2');
  const shape = (p: typeof v1, name: string) => p.tensors.find((t) => t.name === name)?.shape;
  assert.deepEqual(shape(v1, 'transformer.layers.0.attention.query_key_value.weight'), [12288, 4096]);
  assert.deepEqual(shape(v2, 'transformer.encoder.layers.0.self_attention.query_key_value.weight'), [4608, 4096]);
  assert.deepEqual(shape(v2, 'transformer.encoder.layers.0.self_attention.query_key_value.bias'), [4608]);
  assert.equal(shape(v2, 'transformer.encoder.layers.0.self_attention.dense.bias'), undefined);
  assert.deepEqual(shape(v2, 'transformer.encoder.layers.0.mlp.dense_h_to_4h.weight'), [27392, 4096]);
  assert.deepEqual(shape(v2, 'transformer.output_layer.weight'), [65024, 4096]);
  assert.equal(shape(v1, 'lm_head.weight'), undefined, 'v1 ties lm_head (no tie key → true), so it is not stored');
  assert.equal(v2.spec.kvHeads, 2);
  assert.throws(
    () => findArchitecture('chatglm')!.parseConfig({ model_type: 'chatglm', hidden_size: 4096 }, 'x/config.json'),
    (e: Error) => e instanceof ModelConfigError && /x\/config\.json/.test(e.message) && /cannot tell ChatGLM-6B from ChatGLM2\/3/.test(e.message),
  );
});

test('Hugging Face defaults: kv heads, head_dim, tie_word_embeddings, n_inner', () => {
  const llama = findArchitecture('llama')!;
  const base = { model_type: 'llama', hidden_size: 256, intermediate_size: 512, num_hidden_layers: 2, num_attention_heads: 8, vocab_size: 1000 };
  const s = llama.parseConfig(base, 'c.json');
  assert.equal(s.kvHeads, 8);
  assert.equal(s.headDim, 32);
  assert.equal(s.tieWordEmbeddings, false, "LlamaConfig's own default");
  assert.ok(llama.tensorShapes(s).some((t) => t.name === 'lm_head.weight'));
  const explicit = llama.parseConfig({ ...base, num_key_value_heads: 2, head_dim: 64, tie_word_embeddings: true }, 'c.json');
  assert.deepEqual(llama.tensorShapes(explicit).find((t) => t.name === 'model.layers.1.self_attn.k_proj.weight')?.shape, [128, 256]);
  assert.deepEqual(llama.tensorShapes(explicit).find((t) => t.name === 'model.layers.1.self_attn.q_proj.weight')?.shape, [512, 256]);
  assert.ok(!llama.tensorShapes(explicit).some((t) => t.name === 'lm_head.weight'));

  const gpt2 = findArchitecture('gpt2')!;
  const g = gpt2.parseConfig({ model_type: 'gpt2', n_embd: 64, n_layer: 1, n_head: 4, n_inner: null, vocab_size: 100, n_positions: 32 }, 'g.json');
  assert.equal(g.intermediate, 256);
  assert.equal(g.tieWordEmbeddings, true, "PretrainedConfig's default");
});

test('Qwen2 has q/k/v biases and no o_proj bias', () => {
  const { tensors } = loadPreset('qwen2.5-0.5b');
  const has = (n: string) => tensors.some((t) => t.name === n);
  assert.ok(has('model.layers.0.self_attn.q_proj.bias') && has('model.layers.0.self_attn.k_proj.bias') && has('model.layers.0.self_attn.v_proj.bias'));
  assert.ok(!has('model.layers.0.self_attn.o_proj.bias'));
  assert.ok(!has('lm_head.weight'), 'Qwen2.5-0.5B ties its embeddings');
});

test('GPT-2: hub names without transformer., Conv1D [in,out], causal-mask buffers, PEFT module paths', () => {
  const { arch, tensors } = loadPreset('gpt2');
  const c = tensors.find((t) => t.name === 'h.0.attn.c_attn.weight')!;
  assert.deepEqual(c, { name: 'h.0.attn.c_attn.weight', shape: [768, 2304], kind: 'conv1d' });
  assert.deepEqual(arch.linearInOut('h.0.attn.c_attn.weight', [768, 2304]), { in: 768, out: 2304 });
  assert.deepEqual(arch.linearInOut('h.0.mlp.c_proj.weight', [3072, 768]), { in: 3072, out: 768 });
  assert.deepEqual(tensors.find((t) => t.name === 'h.11.attn.bias'), { name: 'h.11.attn.bias', shape: [1, 1, 1024, 1024], kind: 'buffer' });
  assert.ok(tensors.every((t) => !t.name.startsWith('transformer.')));
  assert.equal(arch.modulePath('h.0.attn.c_attn'), 'transformer.h.0.attn.c_attn');
  assert.equal(arch.modulePath('transformer.h.0.attn.c_attn'), 'transformer.h.0.attn.c_attn');
  // kindOf (used on headers) agrees with tensorShapes, with or without the prefix.
  for (const t of tensors) assert.equal(arch.kindOf(t.name, t.shape), t.kind, t.name);
  assert.equal(arch.kindOf('transformer.h.3.mlp.c_fc.weight', [768, 3072]), 'conv1d');
  assert.deepEqual(findArchitecture('llama')!.linearInOut('model.layers.0.mlp.down_proj.weight', [4096, 11008]), { in: 11008, out: 4096 });
});

test('kindOf agrees with tensorShapes for every preset', () => {
  for (const id of Object.keys(EXPECTED)) {
    const { arch, tensors } = loadPreset(id);
    for (const t of tensors) assert.equal(arch.kindOf(t.name, t.shape), t.kind, `${id}: ${t.name}`);
  }
});

test('a bad or missing config key is a ModelConfigError naming the file, the key and what was expected', () => {
  const llama = findArchitecture('llama')!;
  assert.throws(
    () => llama.parseConfig({ model_type: 'llama', hidden_size: '4096', num_hidden_layers: 2, num_attention_heads: 8, vocab_size: 10 }, '/m/config.json'),
    (e: Error) =>
      e instanceof ModelConfigError &&
      e.message.startsWith('/m/config.json: invalid llama config') &&
      /key "hidden_size": expected a positive integer, got "4096"/.test(e.message) &&
      /key "intermediate_size": expected a positive integer, got nothing \(the key is missing\)/.test(e.message),
  );
  assert.throws(
    () => llama.parseConfig({ model_type: 'llama', hidden_size: 100, intermediate_size: 4, num_hidden_layers: 2, num_attention_heads: 8, vocab_size: 10 }, 'c.json'),
    /key "num_attention_heads": hidden_size must split evenly into heads \(100 is not divisible by 8\)/,
  );
  assert.throws(
    () => llama.parseConfig({ model_type: 'llama', hidden_size: 64, intermediate_size: 4, num_hidden_layers: 2, num_attention_heads: 8, num_key_value_heads: 3, vocab_size: 10 }, 'c.json'),
    /key "num_key_value_heads"/,
  );
  assert.throws(() => llama.parseConfig([1, 2], 'c.json'), /c\.json: expected a JSON object/);
  assert.throws(
    () => findArchitecture('gpt2')!.parseConfig({ n_embd: 64, n_layer: 1, n_head: 4, vocab_size: 100, n_positions: -1 }, 'g.json'),
    /key "n_positions": expected a positive integer, got -1/,
  );
});

test('an unknown or missing model_type is an error listing the known ones', () => {
  assert.throws(() => architectureFor({ model_type: 'bloom' }, 'b/config.json'), /b\/config\.json: model_type "bloom" is not a known architecture \(known: chatglm, gpt2, llama, mistral, qwen2\)/);
  assert.throws(() => architectureFor({}, 'c.json'), /key "model_type": expected a string/);
});

test('loading the model specs does not load tfjs', () => {
  const loaded = Object.keys(require.cache).filter((k) => k.includes('@tensorflow'));
  assert.deepEqual(loaded, []);
  const spec: ModelSpec = loadPreset('tinyllama-1.1b').spec;
  assert.equal(spec.gatedMlp, true);
});
