// GPT-2 (model_type gpt2): config parsing and the checkpoint's tensors as the hub's
// gpt2/model.safetensors names them, WITHOUT the `transformer.` prefix (the gpt2 checkpoint on the Hub): `h.0.attn.c_attn.weight` is a Conv1D weight [in, out]. PEFT's module path
// (and so its adapter keys) has the prefix: `transformer.h.0.attn.c_attn`.
// The hub file also stores each layer's causal mask `h.i.attn.bias` [1,1,P,P]: a
// buffer, not a parameter (124,439,808 parameters + 12 × 1,048,576 mask floats is
// exactly the file's data size).
import { z } from 'zod';
import type { Tf } from '../backend';
import { DecoderModel, type DecoderLayer } from './decoder/decoder';
import { loadLinear, loadNorm, loadTensor2d, type TensorSource } from './decoder/load';
import { makeLinear } from './decoder/linear';
import { genericKindOf, inOutFor, ModelConfigError, parseConfigWith, requireDivisible, type Architecture, type ModelSpec, type TensorShape, posInt } from './architecture';

export interface Gpt2Spec extends ModelSpec {
  activation: string;
  scaleAttnWeights: boolean;
}


const schema = z.object({
  n_embd: posInt,
  n_layer: posInt,
  n_head: posInt,
  n_inner: posInt.nullish(),
  vocab_size: posInt,
  n_positions: posInt,
  layer_norm_epsilon: z.number('expected a positive number').positive('expected a positive number').optional(),
  activation_function: z.string('expected a string').optional(),
  tie_word_embeddings: z.boolean('expected true or false').optional(),
  scale_attn_weights: z.boolean('expected true or false').optional(),
});

const PREFIX = 'transformer.';
const bare = (name: string) => (name.startsWith(PREFIX) ? name.slice(PREFIX.length) : name);

function kindOf(name: string, shape: readonly number[]) {
  const n = bare(name);
  if (/^(wte|wpe)\.weight$/.test(n)) return 'embedding' as const;
  if (/^h\.\d+\.attn\.(bias|masked_bias)$/.test(n) && shape.length !== 1) return 'buffer' as const;
  if (/^h\.\d+\..*\.weight$/.test(n) && shape.length === 2) return 'conv1d' as const;
  return genericKindOf(name, shape);
}

export const gpt2: Architecture<Gpt2Spec> = {
  name: 'gpt2',
  modelTypes: ['gpt2'],
  defaultTargets: { lora: ['c_attn'], adalora: ['c_attn'] },
  outputHeads: ['lm_head.weight'],

  parseConfig(json, source) {
    const c = parseConfigWith(schema, json, source, 'gpt2');
    requireDivisible(source, 'gpt2', 'n_head', c.n_embd, c.n_head, 'n_embd must split evenly into heads');
    return {
      modelType: 'gpt2',
      variant: 'gpt2',
      hidden: c.n_embd,
      layers: c.n_layer,
      heads: c.n_head,
      kvHeads: c.n_head,
      headDim: c.n_embd / c.n_head,
      // GPT2Config: n_inner null means 4 × n_embd.
      intermediate: c.n_inner ?? 4 * c.n_embd,
      gatedMlp: false,
      vocab: c.vocab_size,
      maxPositions: c.n_positions,
      // PretrainedConfig's default; GPT2Config does not override it.
      tieWordEmbeddings: c.tie_word_embeddings ?? true,
      normEps: c.layer_norm_epsilon ?? 1e-5,
      activation: c.activation_function ?? 'gelu_new',
      scaleAttnWeights: c.scale_attn_weights ?? true,
    };
  },

  tensorShapes(s) {
    const { hidden: h, intermediate: I, maxPositions: P } = s;
    const out: TensorShape[] = [
      { name: 'wte.weight', shape: [s.vocab, h], kind: 'embedding' },
      { name: 'wpe.weight', shape: [P, h], kind: 'embedding' },
    ];
    const norm = (name: string) => {
      out.push({ name: `${name}.weight`, shape: [h], kind: 'norm' }, { name: `${name}.bias`, shape: [h], kind: 'norm' });
    };
    const conv1d = (name: string, i: number, o: number) => {
      out.push({ name: `${name}.weight`, shape: [i, o], kind: 'conv1d' }, { name: `${name}.bias`, shape: [o], kind: 'bias' });
    };
    for (let l = 0; l < s.layers; l++) {
      norm(`h.${l}.ln_1`);
      out.push({ name: `h.${l}.attn.bias`, shape: [1, 1, P, P], kind: 'buffer' });
      conv1d(`h.${l}.attn.c_attn`, h, 3 * h);
      conv1d(`h.${l}.attn.c_proj`, h, h);
      norm(`h.${l}.ln_2`);
      conv1d(`h.${l}.mlp.c_fc`, h, I);
      conv1d(`h.${l}.mlp.c_proj`, I, h);
    }
    norm('ln_f');
    if (!s.tieWordEmbeddings) out.push({ name: 'lm_head.weight', shape: [s.vocab, h], kind: 'linear' });
    return out;
  },

  kindOf,
  linearInOut: (name, shape) => inOutFor(kindOf, name, shape),
  modulePath: (name) => (name.startsWith(PREFIX) || name.startsWith('lm_head') ? name : PREFIX + name),
  tiedWeights: (s) =>
    s.tieWordEmbeddings
      ? [
          ['wte.weight', 'lm_head.weight'],
          ['transformer.wte.weight', 'lm_head.weight'],
        ]
      : [],
  build: buildGpt2,
};

/** Reads `h.0…` names from hub files, or `transformer.h.0…` from files saved with the prefix. */
function withOptionalPrefix(src: TensorSource): TensorSource {
  const resolve = (name: string) => (src.shape(name) !== undefined ? name : src.shape(PREFIX + name) !== undefined ? PREFIX + name : name);
  return {
    shape: (n) => src.shape(resolve(n)),
    readFloat32: (n) => src.readFloat32(resolve(n)),
    readFloat32Transposed: src.readFloat32Transposed && ((n) => src.readFloat32Transposed!(resolve(n))),
  };
}

function buildGpt2(tf: Tf, s: Gpt2Spec, raw: TensorSource): DecoderModel {
  if (s.activation !== 'gelu_new') throw new ModelConfigError(`activation_function "${s.activation}" is not supported (GPT-2 here uses gelu_new)`);
  if (!s.scaleAttnWeights) throw new ModelConfigError('scale_attn_weights false is not supported');
  const src = withOptionalPrefix(raw);
  const h = s.hidden;
  // Conv1D weights are [in, out] already: the runtime's layout, no transpose.
  const conv1d = (name: string, inFeatures: number, outFeatures: number) =>
    loadLinear(tf, src, { tensor: name, module: PREFIX + name, layout: 'in-out', inFeatures, outFeatures, bias: true });
  const embed = loadTensor2d(tf, src, 'wte.weight', [s.vocab, h]);
  const layers: DecoderLayer[] = [];
  for (let l = 0; l < s.layers; l++) {
    layers.push({
      attnNorm: loadNorm(tf, src, `h.${l}.ln_1`, h, true),
      attn: { kind: 'fused', qkv: conv1d(`h.${l}.attn.c_attn`, h, 3 * h) },
      o: conv1d(`h.${l}.attn.c_proj`, h, h),
      mlpNorm: loadNorm(tf, src, `h.${l}.ln_2`, h, true),
      mlp: { kind: 'gelu', fc: conv1d(`h.${l}.mlp.c_fc`, h, s.intermediate), proj: conv1d(`h.${l}.mlp.c_proj`, s.intermediate, h) },
    });
  }
  const lmHead = s.tieWordEmbeddings
    ? makeLinear('lm_head', tf.transpose(embed), null)
    : loadLinear(tf, src, { tensor: 'lm_head', module: 'lm_head', layout: 'out-in', inFeatures: h, outFeatures: s.vocab, bias: false });
  return new DecoderModel(
    tf,
    {
      vocabSize: s.vocab,
      hidden: h,
      heads: s.heads,
      kvHeads: s.heads,
      headDim: s.headDim,
      norm: 'layer',
      normEps: s.normEps,
      ropeTheta: null,
      maxPositions: s.maxPositions,
    },
    {
      embed,
      positions: loadTensor2d(tf, src, 'wpe.weight', [s.maxPositions, h]),
      embedTensor: 'wte.weight',
      positionsTensor: 'wpe.weight',
      layers,
      finalNorm: loadNorm(tf, src, 'ln_f', h, true),
      lmHead,
      tiedHead: s.tieWordEmbeddings,
    },
  );
}
