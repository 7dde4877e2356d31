// Adapter-size arithmetic against the numbers in the models' config.json and modeling files on the Hugging Face Hub (ChatGLM-6B's
// printout and adapter file sizes, GPT-2's Conv1D layout), AdaLoRA's lora_E, and
// target selection. Run: node --import tsx --test src/shared/math/adapter-size.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adapterEntries, adapterSize, baseParamCount, inOutOf, type BaseTensor } from './adapter-size';
import { safetensorsHeaderJson, safetensorsSize } from './safetensors-size';
import { TargetError } from './targets';

/** ChatGLM-6B (v1) as its checkpoint names it; lm_head tied, so not stored (THUDM/chatglm-6b config.json and modeling_chatglm.py). */
function chatglm6b(withLmHead = false): BaseTensor[] {
  const h = 4096;
  const t: BaseTensor[] = [{ name: 'transformer.word_embeddings.weight', shape: [130528, h], kind: 'embedding' }];
  for (let l = 0; l < 28; l++) {
    const p = `transformer.layers.${l}`;
    const lin = (n: string, o: number, i: number) =>
      t.push({ name: `${p}.${n}.weight`, shape: [o, i], kind: 'linear' }, { name: `${p}.${n}.bias`, shape: [o], kind: 'bias' });
    t.push({ name: `${p}.input_layernorm.weight`, shape: [h], kind: 'norm' }, { name: `${p}.input_layernorm.bias`, shape: [h], kind: 'norm' });
    t.push({ name: `${p}.attention.rotary_emb.inv_freq`, shape: [32], kind: 'buffer' });
    lin('attention.query_key_value', 3 * h, h);
    lin('attention.dense', h, h);
    t.push({ name: `${p}.post_attention_layernorm.weight`, shape: [h], kind: 'norm' }, { name: `${p}.post_attention_layernorm.bias`, shape: [h], kind: 'norm' });
    lin('mlp.dense_h_to_4h', 16384, h);
    lin('mlp.dense_4h_to_h', h, 16384);
  }
  t.push({ name: 'transformer.final_layernorm.weight', shape: [h], kind: 'norm' }, { name: 'transformer.final_layernorm.bias', shape: [h], kind: 'norm' });
  if (withLmHead) t.push({ name: 'lm_head.weight', shape: [130528, h], kind: 'linear' });
  return t;
}
const TIED = [['transformer.word_embeddings.weight', 'lm_head.weight']] as const;

test('ChatGLM-6B, LoRA r=8 on query_key_value: the printout and the adapter file sizes (THUDM/chatglm-6b config.json and modeling_chatglm.py)', () => {
  const s = adapterSize({ tensors: chatglm6b(), method: 'lora', r: 8, alpha: 16, targets: ['query_key_value'], tied: TIED });
  assert.equal(s.baseParams, 6_173_286_400);
  assert.equal(s.trainableParams, 3_670_016);
  assert.equal(s.totalParams, 6_176_956_416);
  assert.ok(Math.abs(s.trainablePercent - 0.0594) < 0.00005, String(s.trainablePercent));
  assert.equal(s.modules.length, 28);
  assert.deepEqual(
    { ...s.modules[0] },
    { module: 'transformer.layers.0.attention.query_key_value', tensor: 'transformer.layers.0.attention.query_key_value.weight', kind: 'linear', shape: [12288, 4096], in: 4096, out: 12288, rank: 8, params: 131_072 },
  );
  assert.equal(s.adapterBytes.float32, 14_680_064);
  assert.equal(s.adapterBytes.float16, 7_340_032);
  assert.equal(s.adapterBytes.fileFloat32, 14_688_368);
  assert.equal(s.adapterBytes.fileFloat16, 7_348_296);
  // "BF16" is one character longer than "F16" in each of the 56 entries: 8,250 + 56 → 8,312 padded.
  assert.equal(s.adapterBytes.fileBfloat16, 7_348_352);
  assert.equal(s.scaling, 2);
});

test('the adapter header is the one PEFT writes: metadata first, keys sorted, 8-byte padding', () => {
  const s = adapterSize({ tensors: chatglm6b(), method: 'lora', r: 8, alpha: 16, targets: ['query_key_value'] });
  const entries = adapterEntries('lora', s.modules, 8, 'F32');
  const json = safetensorsHeaderJson(entries);
  assert.equal(json.length, 8295); // 8,295 bytes, padded to 8,296
  assert.ok(json.startsWith('{"__metadata__":{"format":"pt"},"base_model.model.transformer.layers.0.attention.query_key_value.lora_A.weight":{"dtype":"F32","shape":[8,4096],"data_offsets":[0,131072]}'));
  // Byte order, not layer order: layers.10 sorts before layers.2.
  assert.ok(json.indexOf('layers.10.') < json.indexOf('layers.2.'));
  const size = safetensorsSize(entries);
  assert.deepEqual(size, { headerBytes: 8296, dataBytes: 14_680_064, fileBytes: 14_688_368 });
});

test('a tied lm_head stored in the checkpoint is counted once; buffers are not parameters', () => {
  assert.equal(baseParamCount(chatglm6b(true), TIED), 6_173_286_400);
  assert.equal(baseParamCount(chatglm6b(true)), 6_173_286_400 + 130528 * 4096);
});

test('Conv1D weights are [in, out]: GPT-2 c_attn is 768 → 2304 and the adapter keys carry transformer.', () => {
  assert.deepEqual(inOutOf('conv1d', [768, 2304]), { in: 768, out: 2304 });
  assert.deepEqual(inOutOf('linear', [2304, 768]), { in: 768, out: 2304 });
  const tensors: BaseTensor[] = [0, 1].flatMap((l) => [
    { name: `h.${l}.attn.c_attn.weight`, shape: [768, 2304], kind: 'conv1d' as const },
    { name: `h.${l}.attn.bias`, shape: [1, 1, 1024, 1024], kind: 'buffer' as const },
  ]);
  const s = adapterSize({ tensors, method: 'lora', r: 8, alpha: 8, targets: ['c_attn'], modulePath: (n) => `transformer.${n}` });
  assert.equal(s.trainableParams, 2 * 8 * (768 + 2304));
  assert.equal(s.baseParams, 2 * 768 * 2304);
  const keys = adapterEntries('lora', s.modules, 8, 'F32');
  assert.deepEqual(keys[0], { name: 'base_model.model.transformer.h.0.attn.c_attn.lora_A.weight', shape: [8, 768], dtype: 'F32' });
  assert.deepEqual(keys[1], { name: 'base_model.model.transformer.h.0.attn.c_attn.lora_B.weight', shape: [2304, 8], dtype: 'F32' });
});

test('AdaLoRA adds lora_E [r,1] per module and reports init_r and target_r counts', () => {
  const s = adapterSize({ tensors: chatglm6b(), method: 'adalora', r: 12, targetR: 8, alpha: 8, targets: ['query_key_value'] });
  assert.equal(s.trainableParams, 28 * 12 * (4096 + 12288 + 1));
  assert.deepEqual(
    { ...s.adalora, fileFloat32AtTarget: undefined },
    { initR: 12, targetR: 8, initParams: 28 * 12 * 16385, targetParams: 28 * 8 * 16385, fileFloat32AtTarget: undefined },
  );
  assert.equal(s.scaling, 8 / (12 + 1e-5)); // lora_alpha / (ranknum + 1e-5) (peft/tuners/adalora/layer.py forward)
  const keys = adapterEntries('adalora', s.modules.slice(0, 1), 12, 'F32');
  assert.deepEqual(
    keys.map((k) => [k.name.replace('base_model.model.transformer.layers.0.attention.query_key_value.', ''), k.shape]),
    [['lora_A', [12, 4096]], ['lora_B', [12288, 12]], ['lora_E', [12, 1]]],
  );
  // No ".weight" on AdaLoRA keys, so the file is smaller per key than LoRA's at the same rank.
  assert.equal(s.adapterBytes.fileFloat32, safetensorsSize(keys.length ? adapterEntries('adalora', s.modules, 12, 'F32') : []).fileBytes);
  assert.ok(s.adalora!.fileFloat32AtTarget < s.adapterBytes.fileFloat32);
  assert.throws(() => adapterSize({ tensors: chatglm6b(), method: 'adalora', r: 4, targetR: 8, alpha: 8, targets: ['query_key_value'] }), /target_r \(8\) must not exceed init_r \(4\)/);
});

test('rsLoRA changes the scaling, not the counts', () => {
  const base = { tensors: chatglm6b(), method: 'lora' as const, r: 16, alpha: 32, targets: ['query_key_value'] };
  const plain = adapterSize(base);
  const rs = adapterSize({ ...base, rslora: true });
  assert.equal(rs.trainableParams, plain.trainableParams);
  assert.deepEqual(rs.adapterBytes, plain.adapterBytes);
  assert.equal(plain.scaling, 2);
  assert.equal(rs.scaling, 8);
});

test('QLoRA counts the same parameters as LoRA', () => {
  const lora = adapterSize({ tensors: chatglm6b(), method: 'lora', r: 8, alpha: 16, targets: ['query_key_value'] });
  const qlora = adapterSize({ tensors: chatglm6b(), method: 'qlora', r: 8, alpha: 16, targets: ['query_key_value'] });
  assert.equal(qlora.trainableParams, lora.trainableParams);
  assert.equal(qlora.totalParams, lora.totalParams);
});

test('a single string is a regex full-matched against the module name, as PEFT does', () => {
  const t = chatglm6b();
  const re = adapterSize({ tensors: t, method: 'lora', r: 8, alpha: 8, targets: String.raw`.*\.layers\.(0|1)\.attention\.(query_key_value|dense)` });
  assert.deepEqual(
    re.modules.map((m) => m.module),
    ['transformer.layers.0.attention.query_key_value', 'transformer.layers.0.attention.dense', 'transformer.layers.1.attention.query_key_value', 'transformer.layers.1.attention.dense'],
  );
  // Full match: "query_key_value" alone does not match the dotted name.
  assert.throws(() => adapterSize({ tensors: t, method: 'lora', r: 8, alpha: 8, targets: 'query_key_value' }), TargetError);
  assert.throws(() => adapterSize({ tensors: t, method: 'lora', r: 8, alpha: 8, targets: '(' }), /not a valid regular expression/);
});

test('list entries match by exact name or dotted suffix, never by substring', () => {
  const t = chatglm6b();
  const dense = adapterSize({ tensors: t, method: 'lora', r: 8, alpha: 8, targets: ['dense'] });
  assert.equal(dense.modules.length, 28); // attention.dense only, not dense_h_to_4h
  const dotted = adapterSize({ tensors: t, method: 'lora', r: 8, alpha: 8, targets: ['mlp.dense_4h_to_h', 'transformer.layers.3.attention.dense'] });
  assert.equal(dotted.modules.length, 29);
  assert.equal(dotted.trainableParams, 28 * 8 * (16384 + 4096) + 8 * (4096 + 4096));
});

test('a target that matches nothing is an error naming it, with close names', () => {
  const t = chatglm6b();
  assert.throws(
    () => adapterSize({ tensors: t, method: 'lora', r: 8, alpha: 8, targets: ['query_key_value', 'qkv_proj'] }),
    (err: Error) => err instanceof TargetError && /"qkv_proj" matches no module/.test(err.message) && /available: word_embeddings, query_key_value, dense, dense_h_to_4h, dense_4h_to_h\)/.test(err.message),
  );
  assert.throws(() => adapterSize({ tensors: t, method: 'lora', r: 8, alpha: 8, targets: ['query_key_valu'] }), /did you mean query_key_value\?/);
  assert.throws(() => adapterSize({ tensors: t, method: 'lora', r: 8, alpha: 8, targets: ['input_layernorm'] }), /norm without a 2-D weight/);
  assert.throws(() => adapterSize({ tensors: t, method: 'lora', r: 8, alpha: 8, targets: [] }), /list is empty/);
});

test('embeddings take PEFT embedding keys under LoRA and are refused by AdaLoRA', () => {
  const t = chatglm6b();
  const s = adapterSize({ tensors: t, method: 'lora', r: 4, alpha: 8, targets: ['word_embeddings'] });
  assert.equal(s.trainableParams, 4 * (130528 + 4096));
  assert.deepEqual(adapterEntries('lora', s.modules, 4, 'F32').map((e) => [e.name, e.shape]), [
    ['base_model.model.transformer.word_embeddings.lora_embedding_A', [4, 130528]],
    ['base_model.model.transformer.word_embeddings.lora_embedding_B', [4096, 4]],
  ]);
  assert.throws(() => adapterSize({ tensors: t, method: 'adalora', r: 4, alpha: 8, targets: ['word_embeddings'] }), /AdaLoRA adapts only Linear and Conv1D/);
});

test('rank and alpha are validated', () => {
  const t = chatglm6b();
  assert.throws(() => adapterSize({ tensors: t, method: 'lora', r: 0, alpha: 8, targets: ['dense'] }), /rank must be a positive integer, got 0/);
  assert.throws(() => adapterSize({ tensors: t, method: 'lora', r: 2.5, alpha: 8, targets: ['dense'] }), /rank must be a positive integer/);
  assert.throws(() => adapterSize({ tensors: t, method: 'lora', r: 8, alpha: -1, targets: ['dense'] }), /alpha must be a positive number/);
});
