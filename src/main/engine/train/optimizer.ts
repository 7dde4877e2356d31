// AdamW with decoupled weight decay, as torch.optim.AdamW computes it:
//   p ← p·(1 − lr·wd);  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
//   p ← p − lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε)
// Written out rather than taken from tf.train so the moments can be saved to a
// checkpoint and restored bit for bit, and so weight decay is the decoupled kind.
import type { Tensor, Variable } from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { variableFrom } from './variables';

export interface Param {
  /** Stable name (a PEFT key or a checkpoint tensor name): how state is saved. */
  name: string;
  variable: Variable;
}

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay: number;
}

export interface AdamWState {
  step: number;
  moments: Map<string, { m: Float32Array; v: Float32Array }>;
}

export class AdamW {
  private readonly m: Variable[];
  private readonly v: Variable[];
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  /** Optimizer steps taken so far (t in the bias corrections). */
  step = 0;

  constructor(
    private readonly tf: Tf,
    readonly params: readonly Param[],
    private readonly opts: AdamWOptions,
  ) {
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.m = params.map((p) => variableFrom(tf, tf.zerosLike(p.variable), `${p.name}.adam_m`, false));
    this.v = params.map((p) => variableFrom(tf, tf.zerosLike(p.variable), `${p.name}.adam_v`, false));
  }

  /** Applies one update with gradients given in the order of `params`. */
  apply(grads: readonly Tensor[], lr: number): void {
    const { tf, beta1: b1, beta2: b2, eps } = this;
    this.step++;
    const c1 = 1 - Math.pow(b1, this.step);
    const c2 = 1 - Math.pow(b2, this.step);
    const decay = 1 - lr * this.opts.weightDecay;
    this.params.forEach((p, i) => {
      tf.tidy(() => {
        const g = grads[i]!;
        const m = tf.add(tf.mul(this.m[i]!, b1), tf.mul(g, 1 - b1));
        const v = tf.add(tf.mul(this.v[i]!, b2), tf.mul(tf.square(g), 1 - b2));
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), eps));
        const decayed = decay === 1 ? p.variable : tf.mul(p.variable, decay);
        p.variable.assign(tf.sub(decayed, tf.mul(update, lr)));
        this.m[i]!.assign(m);
        this.v[i]!.assign(v);
      });
    });
  }

  /** The moments as host copies; read with data(), which every backend (a GPU one too) answers. */
  async state(): Promise<AdamWState> {
    const moments = new Map<string, { m: Float32Array; v: Float32Array }>();
    for (const [i, p] of this.params.entries()) {
      const [m, v] = await Promise.all([this.m[i]!.data(), this.v[i]!.data()]);
      moments.set(p.name, { m: m as Float32Array, v: v as Float32Array });
    }
    return { step: this.step, moments };
  }

  restore(state: AdamWState): void {
    this.params.forEach((p, i) => {
      const s = state.moments.get(p.name);
      if (!s) throw new Error(`the checkpoint has no optimizer state for "${p.name}"`);
      if (s.m.length !== p.variable.size) throw new Error(`optimizer state for "${p.name}" has ${s.m.length} values, the parameter ${p.variable.size}`);
      this.tf.tidy(() => {
        this.m[i]!.assign(this.tf.tensor(s.m, p.variable.shape));
        this.v[i]!.assign(this.tf.tensor(s.v, p.variable.shape));
      });
    });
    this.step = state.step;
  }

  /** Bytes of optimizer state (two float32 moments per trainable value). */
  stateBytes(): number {
    return this.params.reduce((n, p) => n + 2 * 4 * p.variable.size, 0);
  }

  dispose(): void {
    this.m.forEach((t) => t.dispose());
    this.v.forEach((t) => t.dispose());
  }
}

/**
 * Scales gradients so their global L2 norm is at most `maxNorm`, as
 * torch.nn.utils.clip_grad_norm_ does (coefficient max/(norm+1e-6), capped at 1).
 * Returns the norm before clipping and the (possibly new) gradients. The norm is
 * read once per optimizer step, asynchronously (a GPU backend has no synchronous read).
 */
export async function clipByGlobalNorm(tf: Tf, grads: Tensor[], maxNorm: number | null): Promise<{ norm: number; grads: Tensor[] }> {
  const normT = tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))));
  const norm = (await normT.data())[0]!;
  normT.dispose();
  if (maxNorm === null || !(norm > maxNorm)) return { norm, grads };
  const coef = Math.min(1, maxNorm / (norm + 1e-6));
  const clipped = grads.map((g) => tf.mul(g, coef));
  grads.forEach((g) => g.dispose());
  return { norm, grads: clipped };
}
