// The Llama family (model_type llama, mistral, qwen2): config parsing and the
// checkpoint's tensor shapes, as transformers' LlamaForCausalLM / MistralForCausalLM /
// Qwen2ForCausalLM name them (the models' config.json on the Hugging Face Hub; peft/utils/save_and_load.py get_peft_model_state_dict). Qwen2 adds biases to q/k/v.
// Weights are nn.Linear [out, in].
import { z } from 'zod';
import {
  configError,
  ModelConfigError,
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
import { DecoderModel, type DecoderLayer } from './decoder/decoder';
import { loadLinear, loadNorm, loadTensor2d, type TensorSource } from './decoder/load';
import { makeLinear } from './decoder/linear';
import type { Tf } from '../backend';

export interface LlamaSpec extends ModelSpec {
  ropeTheta: number;
  /** q/k/v carry a bias (qwen2 always; llama with attention_bias). */
  qkvBias: boolean;
  /** o_proj carries a bias (llama attention_bias). */
  oBias: boolean;
  mlpBias: boolean;
  hiddenAct: string;
  slidingWindow: number | null;
  /** config.json's rope_scaling (null for plain RoPE). */
  ropeScaling: unknown;
}


const schema = z.object({
  hidden_size: posInt,
  intermediate_size: posInt,
  num_hidden_layers: posInt,
  num_attention_heads: posInt,
  num_key_value_heads: posInt.nullish(),
  head_dim: posInt.nullish(),
  vocab_size: posInt,
  max_position_embeddings: posInt.optional(),
  rms_norm_eps: posNum.optional(),
  // theta below 1 turns the rotation frequencies into overflowing powers; no real model uses it.
  rope_theta: z.number('expected a number ≥ 1').min(1, 'expected a number ≥ 1').optional(),
  rope_scaling: z.unknown().optional(),
  tie_word_embeddings: bool.optional(),
  attention_bias: bool.optional(),
  mlp_bias: bool.optional(),
  hidden_act: z.string('expected a string').optional(),
  sliding_window: posInt.nullish(),
});

// Class defaults from transformers' LlamaConfig / MistralConfig / Qwen2Config: unlike
// PretrainedConfig (true), these three default tie_word_embeddings to false.
const CLASS_DEFAULTS: Record<string, { maxPositions: number; eps: number }> = {
  llama: { maxPositions: 2048, eps: 1e-6 },
  mistral: { maxPositions: 4096 * 32, eps: 1e-6 },
  qwen2: { maxPositions: 32768, eps: 1e-6 },
};

function makeLlamaFamily(modelType: 'llama' | 'mistral' | 'qwen2', adalora: string[] | null): Architecture<LlamaSpec> {
  const kindOf = (name: string, shape: readonly number[]) =>
    /(^|\.)embed_tokens\.weight$/.test(name) ? 'embedding' : genericKindOf(name, shape);
  return {
    name: modelType,
    modelTypes: [modelType],
    defaultTargets: { lora: ['q_proj', 'v_proj'], adalora },
    outputHeads: ['lm_head.weight'],

    parseConfig(json, source) {
      const c = parseConfigWith(schema, json, source, modelType);
      const heads = c.num_attention_heads;
      const kvHeads = c.num_key_value_heads ?? heads;
      if (c.head_dim == null) {
        requireDivisible(source, modelType, 'num_attention_heads', c.hidden_size, heads, 'hidden_size must split evenly into heads');
      }
      requireDivisible(source, modelType, 'num_key_value_heads', heads, kvHeads, 'num_attention_heads must be a multiple of it');
      if (kvHeads > heads) configError(source, modelType, [`  key "num_key_value_heads": at most num_attention_heads (${heads}), got ${kvHeads}`]);
      const defaults = CLASS_DEFAULTS[modelType]!;
      return {
        modelType,
        variant: modelType,
        hidden: c.hidden_size,
        layers: c.num_hidden_layers,
        heads,
        kvHeads,
        headDim: c.head_dim ?? c.hidden_size / heads,
        intermediate: c.intermediate_size,
        gatedMlp: true,
        vocab: c.vocab_size,
        maxPositions: c.max_position_embeddings ?? defaults.maxPositions,
        tieWordEmbeddings: c.tie_word_embeddings ?? false,
        normEps: c.rms_norm_eps ?? defaults.eps,
        ropeTheta: c.rope_theta ?? 10000,
        qkvBias: modelType === 'qwen2' || (c.attention_bias ?? false),
        oBias: modelType !== 'qwen2' && (c.attention_bias ?? false),
        mlpBias: c.mlp_bias ?? false,
        hiddenAct: c.hidden_act ?? 'silu',
        slidingWindow: c.sliding_window ?? null,
        ropeScaling: c.rope_scaling ?? null,
      };
    },

    tensorShapes(s) {
      const { hidden: h, intermediate: I, vocab: V } = s;
      const q = s.heads * s.headDim;
      const kv = s.kvHeads * s.headDim;
      const out: TensorShape[] = [{ name: 'model.embed_tokens.weight', shape: [V, h], kind: 'embedding' }];
      const linear = (name: string, o: number, i: number, bias: boolean) => {
        out.push({ name: `${name}.weight`, shape: [o, i], kind: 'linear' });
        if (bias) out.push({ name: `${name}.bias`, shape: [o], kind: 'bias' });
      };
      for (let l = 0; l < s.layers; l++) {
        const p = `model.layers.${l}`;
        out.push({ name: `${p}.input_layernorm.weight`, shape: [h], kind: 'norm' });
        linear(`${p}.self_attn.q_proj`, q, h, s.qkvBias);
        linear(`${p}.self_attn.k_proj`, kv, h, s.qkvBias);
        linear(`${p}.self_attn.v_proj`, kv, h, s.qkvBias);
        linear(`${p}.self_attn.o_proj`, h, q, s.oBias);
        linear(`${p}.mlp.gate_proj`, I, h, s.mlpBias);
        linear(`${p}.mlp.up_proj`, I, h, s.mlpBias);
        linear(`${p}.mlp.down_proj`, h, I, s.mlpBias);
        out.push({ name: `${p}.post_attention_layernorm.weight`, shape: [h], kind: 'norm' });
      }
      out.push({ name: 'model.norm.weight', shape: [h], kind: 'norm' });
      if (!s.tieWordEmbeddings) out.push({ name: 'lm_head.weight', shape: [V, h], kind: 'linear' });
      return out;
    },

    kindOf,
    linearInOut: (name, shape) => inOutFor(kindOf, name, shape),
    modulePath: (name) => name,
    tiedWeights: (s) => (s.tieWordEmbeddings ? [['model.embed_tokens.weight', 'lm_head.weight']] : []),
    build: buildLlama,
  };
}

function buildLlama(tf: Tf, s: LlamaSpec, src: TensorSource): DecoderModel {
  if (s.ropeScaling !== null) {
    throw new ModelConfigError(`rope_scaling ${JSON.stringify(s.ropeScaling)} is not supported yet: only plain RoPE runs here (logits would be wrong)`);
  }
  if (s.hiddenAct !== 'silu') throw new ModelConfigError(`hidden_act "${s.hiddenAct}" is not supported (the Llama family here uses silu)`);
  const h = s.hidden;
  const q = s.heads * s.headDim;
  const kv = s.kvHeads * s.headDim;
  const linear = (name: string, inFeatures: number, outFeatures: number, bias: boolean) =>
    loadLinear(tf, src, { tensor: name, module: name, layout: 'out-in', inFeatures, outFeatures, bias });
  const embed = loadTensor2d(tf, src, 'model.embed_tokens.weight', [s.vocab, h]);
  const layers: DecoderLayer[] = [];
  for (let l = 0; l < s.layers; l++) {
    const p = `model.layers.${l}`;
    layers.push({
      attnNorm: loadNorm(tf, src, `${p}.input_layernorm`, h, false),
      attn: {
        kind: 'separate',
        q: linear(`${p}.self_attn.q_proj`, h, q, s.qkvBias),
        k: linear(`${p}.self_attn.k_proj`, h, kv, s.qkvBias),
        v: linear(`${p}.self_attn.v_proj`, h, kv, s.qkvBias),
      },
      o: linear(`${p}.self_attn.o_proj`, q, h, s.oBias),
      mlpNorm: loadNorm(tf, src, `${p}.post_attention_layernorm`, h, false),
      mlp: {
        kind: 'swiglu',
        gate: linear(`${p}.mlp.gate_proj`, h, s.intermediate, s.mlpBias),
        up: linear(`${p}.mlp.up_proj`, h, s.intermediate, s.mlpBias),
        down: linear(`${p}.mlp.down_proj`, s.intermediate, h, s.mlpBias),
      },
    });
  }
  const lmHead = s.tieWordEmbeddings
    ? makeLinear('lm_head', tf.transpose(embed), null)
    : linear('lm_head', h, s.vocab, false);
  return new DecoderModel(
    tf,
    {
      vocabSize: s.vocab,
      hidden: h,
      heads: s.heads,
      kvHeads: s.kvHeads,
      headDim: s.headDim,
      norm: 'rms',
      normEps: s.normEps,
      ropeTheta: s.ropeTheta,
      maxPositions: s.maxPositions,
    },
    { embed, positions: null, embedTensor: 'model.embed_tokens.weight', positionsTensor: null, layers, finalNorm: loadNorm(tf, src, 'model.norm', h, false), lmHead, tiedHead: s.tieWordEmbeddings },
  );
}

// PEFT's AdaLoRA table has llama and qwen2 but no mistral entry (peft/tuners/tuners_utils.py check_target_module_exists, peft/utils/constants.py).
export const llama = makeLlamaFamily('llama', ['q_proj', 'v_proj']);
export const mistral = makeLlamaFamily('mistral', null);
export const qwen2 = makeLlamaFamily('qwen2', ['q_proj', 'v_proj']);
