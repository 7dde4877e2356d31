// The decoder-only transformer body shared by the Llama family and GPT-2: token
// (and learned position) embeddings, pre-norm blocks of attention and MLP, a final
// norm and the LM head. An architecture file maps its checkpoint onto these
// weights and options; nothing here knows tensor names.
import type { Tensor, Tensor2D, Tensor3D, Tensor4D } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';
import { attentionMask, mergeHeads, scaledDotProduct, splitHeads, type LayerCache } from './attention';
import { disposeNorm, geluNew, norm, silu, type NormKind, type NormWeights } from './layers';
import { applyLinear, disposeLinear, type Linear } from './linear';
import { applyRope, ropeTables } from './rope';
import { embeddingLookup } from './embedding';
import { matMulBoth } from './matmul';

export interface DecoderOptions {
  vocabSize: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  norm: NormKind;
  normEps: number;
  /** RoPE base (Llama family) or null for learned absolute positions (GPT-2). */
  ropeTheta: number | null;
  maxPositions: number;
}

export type Projections =
  | { kind: 'separate'; q: Linear; k: Linear; v: Linear }
  /** GPT-2's c_attn: one product, split along the output into q, k, v. */
  | { kind: 'fused'; qkv: Linear };

export type Mlp = { kind: 'swiglu'; gate: Linear; up: Linear; down: Linear } | { kind: 'gelu'; fc: Linear; proj: Linear };

export interface DecoderLayer {
  attnNorm: NormWeights;
  attn: Projections;
  o: Linear;
  mlpNorm: NormWeights;
  mlp: Mlp;
}

export interface DecoderWeights {
  embed: Tensor2D; // [vocab, hidden]
  positions: Tensor2D | null; // [maxPositions, hidden]
  /** Checkpoint names of the two embedding tables. */
  embedTensor: string;
  positionsTensor: string | null;
  layers: DecoderLayer[];
  finalNorm: NormWeights;
  lmHead: Linear; // [hidden, vocab]
  /** The head is the embedding's transpose (tie_word_embeddings): counted once. */
  tiedHead: boolean;
}

export interface WeightSlot {
  /** The checkpoint tensor name. */
  name: string;
  get(): Tensor;
  set(t: Tensor): void;
  /** The runtime holds it as [in, out]; the checkpoint wants [out, in]. */
  transposeOnSave: boolean;
}

/** Key/value cache for generation: one entry per layer, plus which cached keys are real. */
export interface KvCache {
  layers: (LayerCache | null)[];
  keyMask: number[][];
  length: number;
}

export class DecoderModel {
  constructor(
    readonly tf: Tf,
    readonly options: DecoderOptions,
    readonly weights: DecoderWeights,
  ) {}

  /** Every linear layer by module path: where adapters attach. */
  linears(): Linear[] {
    const out: Linear[] = [];
    for (const l of this.weights.layers) {
      if (l.attn.kind === 'separate') out.push(l.attn.q, l.attn.k, l.attn.v);
      else out.push(l.attn.qkv);
      out.push(l.o);
      if (l.mlp.kind === 'swiglu') out.push(l.mlp.gate, l.mlp.up, l.mlp.down);
      else out.push(l.mlp.fc, l.mlp.proj);
    }
    out.push(this.weights.lmHead);
    return out;
  }

  newCache(batch: number): KvCache {
    return { layers: this.weights.layers.map(() => null), keyMask: Array.from({ length: batch }, () => []), length: 0 };
  }

  /**
   * Logits [B, T, vocab] for right-padded token ids [B][T] (mask[b][t] = 1 for
   * real tokens). With a cache, the ids continue the cached sequence and the
   * cache is extended in place (the caller owns and disposes it).
   */
  forward(ids: number[][], mask?: number[][], cache?: KvCache): Tensor3D {
    const { tf, options: o, weights: w } = this;
    const b = ids.length;
    const t = ids[0]?.length ?? 0;
    const keyMask = mask ?? ids.map((row) => row.map(() => 1));
    const past = cache?.length ?? 0;
    if (past + t > o.maxPositions && o.ropeTheta === null) {
      throw new Error(`sequence of ${past + t} tokens exceeds the model's ${o.maxPositions} positions`);
    }
    if (cache) cache.keyMask.forEach((row, i) => row.push(...keyMask[i]!));
    const fullMask = cache ? cache.keyMask : keyMask;

    const logits = tf.tidy(() => {
      let x: Tensor = embeddingLookup(tf, w.embed, Int32Array.from(ids.flat())).reshape([b, t, o.hidden]);
      if (w.positions) {
        const pos = Int32Array.from({ length: t }, (_, i) => past + i);
        x = tf.add(x, embeddingLookup(tf, w.positions, pos));
      }
      const attnMask = attentionMask(tf, fullMask, t, past);
      const rope = o.ropeTheta === null ? null : ropeTables(tf, o.headDim, o.ropeTheta, past, t);
      w.layers.forEach((layer, i) => {
        const h = norm(tf, o.norm, x, layer.attnNorm, o.normEps);
        const attnOut = this.attention(layer, h, attnMask, rope, cache, i);
        x = tf.add(x, attnOut);
        const h2 = norm(tf, o.norm, x, layer.mlpNorm, o.normEps);
        x = tf.add(x, this.mlp(layer.mlp, h2));
      });
      x = norm(tf, o.norm, x, w.finalNorm, o.normEps);
      if (w.tiedHead && 'assign' in w.embed) {
        // A trained, tied embedding: the head must follow it, so use its live transpose.
        return matMulBoth(tf, x.reshape([-1, o.hidden]), tf.transpose(w.embed)).reshape([b, t, o.vocabSize]) as Tensor3D;
      }
      return applyLinear(tf, w.lmHead, x) as Tensor3D;
    });
    if (cache) cache.length += t;
    return logits;
  }

  private attention(
    layer: DecoderLayer,
    h: Tensor,
    mask: Tensor4D,
    rope: { cos: Tensor2D; sin: Tensor2D } | null,
    cache: KvCache | undefined,
    index: number,
  ): Tensor {
    const { tf, options: o } = this;
    let q: Tensor, k: Tensor, v: Tensor;
    if (layer.attn.kind === 'separate') {
      q = applyLinear(tf, layer.attn.q, h);
      k = applyLinear(tf, layer.attn.k, h);
      v = applyLinear(tf, layer.attn.v, h);
    } else {
      [q, k, v] = tf.split(applyLinear(tf, layer.attn.qkv, h), 3, -1) as [Tensor, Tensor, Tensor];
    }
    let qh = splitHeads(tf, q, o.heads, o.headDim);
    let kh = splitHeads(tf, k, o.kvHeads, o.headDim);
    const vh0 = splitHeads(tf, v, o.kvHeads, o.headDim);
    if (rope) {
      qh = applyRope(tf, qh, rope.cos, rope.sin) as Tensor4D;
      kh = applyRope(tf, kh, rope.cos, rope.sin) as Tensor4D;
    }
    let vh = vh0;
    if (cache) {
      const prev = cache.layers[index];
      if (prev) {
        kh = tf.concat([prev.k, kh], 2);
        vh = tf.concat([prev.v, vh], 2);
        prev.k.dispose();
        prev.v.dispose();
      }
      cache.layers[index] = { k: tf.keep(kh), v: tf.keep(vh) };
    }
    const out = scaledDotProduct(tf, qh, kh, vh, mask);
    return applyLinear(tf, layer.o, mergeHeads(tf, out));
  }

  private mlp(mlp: Mlp, h: Tensor): Tensor {
    const { tf } = this;
    if (mlp.kind === 'swiglu') {
      const gated = tf.mul(silu(tf, applyLinear(tf, mlp.gate, h)), applyLinear(tf, mlp.up, h));
      return applyLinear(tf, mlp.down, gated);
    }
    return applyLinear(tf, mlp.proj, geluNew(tf, applyLinear(tf, mlp.fc, h)));
  }

  /**
   * Every weight with its checkpoint name and layout, readable and replaceable:
   * what full fine-tuning trains and what saving a model writes. A tied head is
   * left out (it is the embedding).
   */
  slots(): WeightSlot[] {
    const w = this.weights;
    const out: WeightSlot[] = [];
    const slot = (name: string, get: () => Tensor, set: (t: Tensor) => void, transposeOnSave = false) =>
      out.push({ name, get, set, transposeOnSave });
    slot(w.embedTensor, () => w.embed, (t) => (w.embed = t as Tensor2D));
    if (w.positions && w.positionsTensor) slot(w.positionsTensor, () => w.positions!, (t) => (w.positions = t as Tensor2D));
    const norms: NormWeights[] = [...w.layers.flatMap((l) => [l.attnNorm, l.mlpNorm]), w.finalNorm];
    for (const n of norms) {
      slot(`${n.tensor}.weight`, () => n.weight, (t) => (n.weight = t as NormWeights['weight']));
      if (n.bias) slot(`${n.tensor}.bias`, () => n.bias!, (t) => (n.bias = t as NormWeights['weight']));
    }
    for (const lin of this.linears()) {
      if (lin === w.lmHead && w.tiedHead) continue;
      // An NF4 weight (QLoRA) is frozen packed codes, not a tensor to train or save.
      if (!lin.w) continue;
      slot(`${lin.tensor}.weight`, () => lin.w!, (t) => (lin.w = t as Tensor2D), lin.checkpointLayout === 'out-in');
      if (lin.b) slot(`${lin.tensor}.bias`, () => lin.b!, (t) => (lin.b = t as NormWeights['weight']));
    }
    return out;
  }

  /** Every weight tensor of the model (adapters excluded). */
  tensors(): Tensor[] {
    const w = this.weights;
    const out: (Tensor | null)[] = [w.embed, w.positions, w.finalNorm.weight, w.finalNorm.bias];
    for (const l of w.layers) out.push(l.attnNorm.weight, l.attnNorm.bias, l.mlpNorm.weight, l.mlpNorm.bias);
    for (const lin of this.linears()) out.push(lin.w, lin.b);
    return out.filter((t): t is Tensor => t !== null);
  }

  dispose(): void {
    const w = this.weights;
    w.embed.dispose();
    w.positions?.dispose();
    for (const l of w.layers) {
      disposeNorm(l.attnNorm);
      disposeNorm(l.mlpNorm);
    }
    this.linears().forEach(disposeLinear);
    disposeNorm(w.finalNorm);
  }

  numParams(): number {
    const w = this.weights;
    const count = (t: Tensor | null) => t?.size ?? 0;
    let n = count(w.embed) + count(w.positions) + count(w.finalNorm.weight) + count(w.finalNorm.bias);
    for (const l of w.layers) n += count(l.attnNorm.weight) + count(l.attnNorm.bias) + count(l.mlpNorm.weight) + count(l.mlpNorm.bias);
    for (const lin of this.linears()) if (lin !== w.lmHead || !w.tiedHead) n += lin.inFeatures * lin.outFeatures + count(lin.b);
    return n;
  }
}

export function disposeCache(cache: KvCache): void {
  for (const l of cache.layers) {
    l?.k.dispose();
    l?.v.dispose();
  }
}
