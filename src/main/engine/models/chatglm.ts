// ChatGLM (model_type "chatglm"): ChatGLM-6B (v1) and ChatGLM2/3-6B share the
// model_type but not the layout, so the config's keys decide (THUDM/chatglm-6b config.json and modeling_chatglm.py; THUDM/chatglm2-6b config.json and modeling_chatglm.py):
//   v2/v3: multi_query_attention, multi_query_group_num, kv_channels, ffn_hidden_size,
//          padded_vocab_size; modules under transformer.encoder.*, an untied output_layer.
//   v1:    inner_hidden_size, position_encoding_2d; modules under transformer.layers.*,
//          lm_head tied to word_embeddings (no tie_word_embeddings key → true).
// query_key_value is one fused nn.Linear [out, in] in both.
import { z } from 'zod';
import {
  configError,
  genericKindOf,
  inOutFor,
  parseConfigWith,
  requireDivisible,
  type Architecture,
  type ModelSpec,
  type TensorShape,
  posInt,
  posNum,
  bool,
} from './architecture';

export interface ChatGlmSpec extends ModelSpec {
  variant: 'chatglm' | 'chatglm2';
  /** v1: 2-D rotary positions; halves the rotary width. */
  positionEncoding2d: boolean;
  qkvBias: boolean;
  /** Biases on dense, dense_h_to_4h and dense_4h_to_h. */
  linearBias: boolean;
  rmsnorm: boolean;
  postLayerNorm: boolean;
}


const v1Schema = z.object({
  hidden_size: posInt,
  num_layers: posInt,
  num_attention_heads: posInt,
  inner_hidden_size: posInt.nullish(),
  vocab_size: posInt,
  max_sequence_length: posInt.optional(),
  layernorm_epsilon: posNum.optional(),
  position_encoding_2d: bool.optional(),
  tie_word_embeddings: bool.optional(),
});

const v2Schema = z.object({
  hidden_size: posInt,
  num_layers: posInt,
  num_attention_heads: posInt,
  kv_channels: posInt.nullish(),
  multi_query_attention: bool.optional(),
  multi_query_group_num: posInt.optional(),
  ffn_hidden_size: posInt,
  padded_vocab_size: posInt.optional(),
  vocab_size: posInt.optional(),
  seq_length: posInt.optional(),
  layernorm_epsilon: posNum.optional(),
  add_qkv_bias: bool.optional(),
  add_bias_linear: bool.optional(),
  rmsnorm: bool.optional(),
  post_layer_norm: bool.optional(),
  tie_word_embeddings: bool.optional(),
});

const V2_KEYS = ['multi_query_attention', 'multi_query_group_num', 'padded_vocab_size', 'kv_channels', 'ffn_hidden_size'];
const V1_KEYS = ['inner_hidden_size', 'position_encoding_2d'];

function parseV1(json: unknown, source: string): ChatGlmSpec {
  const c = parseConfigWith(v1Schema, json, source, 'ChatGLM-6B (v1)');
  requireDivisible(source, 'ChatGLM-6B (v1)', 'num_attention_heads', c.hidden_size, c.num_attention_heads, 'hidden_size must split evenly into heads');
  return {
    modelType: 'chatglm',
    variant: 'chatglm',
    hidden: c.hidden_size,
    layers: c.num_layers,
    heads: c.num_attention_heads,
    kvHeads: c.num_attention_heads,
    headDim: c.hidden_size / c.num_attention_heads,
    // ChatGLMConfig's default (16384 for the 6B) is 4 × hidden.
    intermediate: c.inner_hidden_size ?? 4 * c.hidden_size,
    gatedMlp: false,
    vocab: c.vocab_size,
    maxPositions: c.max_sequence_length ?? 2048,
    // The config has no tie key, so PretrainedConfig's default (true) ties lm_head (THUDM/chatglm-6b config.json and modeling_chatglm.py).
    tieWordEmbeddings: c.tie_word_embeddings ?? true,
    normEps: c.layernorm_epsilon ?? 1e-5,
    positionEncoding2d: c.position_encoding_2d ?? true,
    qkvBias: true,
    linearBias: true,
    rmsnorm: false,
    postLayerNorm: true,
  };
}

function parseV2(json: unknown, source: string): ChatGlmSpec {
  const what = 'ChatGLM2/3';
  const c = parseConfigWith(v2Schema, json, source, what);
  const vocab = c.padded_vocab_size ?? c.vocab_size;
  if (vocab === undefined) configError(source, what, ['  key "padded_vocab_size": expected a positive integer, got nothing (the key is missing)']);
  const heads = c.num_attention_heads;
  if (c.kv_channels == null) requireDivisible(source, what, 'num_attention_heads', c.hidden_size, heads, 'hidden_size must split evenly into heads');
  const multiQuery = c.multi_query_attention ?? false;
  const kvHeads = multiQuery ? (c.multi_query_group_num ?? 1) : heads;
  requireDivisible(source, what, 'multi_query_group_num', heads, kvHeads, 'num_attention_heads must be a multiple of it');
  return {
    modelType: 'chatglm',
    variant: 'chatglm2',
    hidden: c.hidden_size,
    layers: c.num_layers,
    heads,
    kvHeads,
    headDim: c.kv_channels ?? c.hidden_size / heads,
    intermediate: c.ffn_hidden_size,
    gatedMlp: true, // dense_h_to_4h is gate and up fused: [2·ffn, hidden], SwiGLU
    vocab,
    maxPositions: c.seq_length ?? 2048,
    tieWordEmbeddings: c.tie_word_embeddings ?? true,
    normEps: c.layernorm_epsilon ?? 1e-5,
    positionEncoding2d: false,
    qkvBias: c.add_qkv_bias ?? false,
    linearBias: c.add_bias_linear ?? false,
    rmsnorm: c.rmsnorm ?? true,
    postLayerNorm: c.post_layer_norm ?? true,
  };
}

function v1Shapes(s: ChatGlmSpec): TensorShape[] {
  const { hidden: h, intermediate: I } = s;
  // Rotary width per head: half of it with 2-D positions; inv_freq has half as many entries.
  const rotary = s.positionEncoding2d ? h / (s.heads * 2) : h / s.heads;
  const out: TensorShape[] = [{ name: 'transformer.word_embeddings.weight', shape: [s.vocab, h], kind: 'embedding' }];
  const ln = (n: string) => out.push({ name: `${n}.weight`, shape: [h], kind: 'norm' }, { name: `${n}.bias`, shape: [h], kind: 'norm' });
  const linear = (n: string, o: number, i: number) =>
    out.push({ name: `${n}.weight`, shape: [o, i], kind: 'linear' }, { name: `${n}.bias`, shape: [o], kind: 'bias' });
  for (let l = 0; l < s.layers; l++) {
    const p = `transformer.layers.${l}`;
    ln(`${p}.input_layernorm`);
    // A persistent buffer in modeling_chatglm.py; conversion scripts skip it (THUDM/chatglm-6b config.json and modeling_chatglm.py).
    out.push({ name: `${p}.attention.rotary_emb.inv_freq`, shape: [rotary / 2], kind: 'buffer' });
    linear(`${p}.attention.query_key_value`, 3 * h, h);
    linear(`${p}.attention.dense`, h, h);
    ln(`${p}.post_attention_layernorm`);
    linear(`${p}.mlp.dense_h_to_4h`, I, h);
    linear(`${p}.mlp.dense_4h_to_h`, h, I);
  }
  ln('transformer.final_layernorm');
  if (!s.tieWordEmbeddings) out.push({ name: 'lm_head.weight', shape: [s.vocab, h], kind: 'linear' });
  return out;
}

function v2Shapes(s: ChatGlmSpec): TensorShape[] {
  const { hidden: h, intermediate: I, headDim: d } = s;
  const qkv = s.heads * d + 2 * s.kvHeads * d;
  const out: TensorShape[] = [
    { name: 'transformer.embedding.word_embeddings.weight', shape: [s.vocab, h], kind: 'embedding' },
    // RotaryEmbedding(kv_channels // 2): inv_freq has kv_channels / 4 entries; a persistent buffer.
    { name: 'transformer.rotary_pos_emb.inv_freq', shape: [d / 4], kind: 'buffer' },
  ];
  const norm = (n: string) => {
    out.push({ name: `${n}.weight`, shape: [h], kind: 'norm' });
    if (!s.rmsnorm) out.push({ name: `${n}.bias`, shape: [h], kind: 'norm' });
  };
  const linear = (n: string, o: number, i: number, bias: boolean) => {
    out.push({ name: `${n}.weight`, shape: [o, i], kind: 'linear' });
    if (bias) out.push({ name: `${n}.bias`, shape: [o], kind: 'bias' });
  };
  for (let l = 0; l < s.layers; l++) {
    const p = `transformer.encoder.layers.${l}`;
    norm(`${p}.input_layernorm`);
    linear(`${p}.self_attention.query_key_value`, qkv, h, s.qkvBias);
    linear(`${p}.self_attention.dense`, h, s.heads * d, s.linearBias);
    norm(`${p}.post_attention_layernorm`);
    linear(`${p}.mlp.dense_h_to_4h`, 2 * I, h, s.linearBias);
    linear(`${p}.mlp.dense_4h_to_h`, h, I, s.linearBias);
  }
  if (s.postLayerNorm) norm('transformer.encoder.final_layernorm');
  if (!s.tieWordEmbeddings) out.push({ name: 'transformer.output_layer.weight', shape: [s.vocab, h], kind: 'linear' });
  return out;
}

function kindOf(name: string, shape: readonly number[]) {
  if (/(^|\.)word_embeddings\.weight$/.test(name)) return 'embedding' as const;
  return genericKindOf(name, shape);
}

export const chatglm: Architecture<ChatGlmSpec> = {
  name: 'chatglm',
  modelTypes: ['chatglm'],
  // PEFT's LoRA table maps chatglm to query_key_value; its AdaLoRA table has no chatglm (peft/utils/constants.py).
  defaultTargets: { lora: ['query_key_value'], adalora: null },
  outputHeads: ['lm_head.weight', 'transformer.output_layer.weight'],

  parseConfig(json, source) {
    const keys = json && typeof json === 'object' ? Object.keys(json) : [];
    if (V2_KEYS.some((k) => keys.includes(k))) return parseV2(json, source);
    if (V1_KEYS.some((k) => keys.includes(k))) return parseV1(json, source);
    return configError(source, 'ChatGLM', [
      `  cannot tell ChatGLM-6B from ChatGLM2/3: expected ${V2_KEYS.join('/')} (v2/v3) or ${V1_KEYS.join('/')} (v1), found none`,
    ]);
  },

  tensorShapes: (s) => (s.variant === 'chatglm2' ? v2Shapes(s) : v1Shapes(s)),
  kindOf,
  linearInOut: (name, shape) => inOutFor(kindOf, name, shape),
  modulePath: (name) => name,
  tiedWeights: (s) =>
    !s.tieWordEmbeddings
      ? []
      : s.variant === 'chatglm2'
        ? [['transformer.embedding.word_embeddings.weight', 'transformer.output_layer.weight']]
        : [['transformer.word_embeddings.weight', 'lm_head.weight']],
};
