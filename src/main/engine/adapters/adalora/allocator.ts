// AdaLoRA's RankAllocator, as peft/tuners/adalora/layer.py defines it (Zhang et al.
// 2023, arXiv:2303.10512, §3.2–3.3), run after each optimizer step with that step's
// gradients (PEFT's update_and_allocate sits between optimizer.step() and zero_grad()):
//   sensitivity   I = |w ⊙ ∂L/∂w|                       per element of A, E and B
//   smoothing     Ī ← β1·Ī + (1 − β1)·I
//   uncertainty   Ū ← β2·Ū + (1 − β2)·|I − Ī|          (with the Ī just updated)
//   score         s = Ī ⊙ Ū
//   triplet i     S_i = s(E_i) + mean_j s(A_ij) + mean_k s(B_ki)   (_element_score, _combine_ipt)
// Masking to a budget b zeroes E_i for every triplet whose S_i ≤ the (init − b)-th
// smallest S over all matrices (torch.kthvalue), and records which triplets are kept:
// the rank pattern. The phases around it (when to update, mask, freeze) are
// allocationPhase in src/shared/math/adalora-budget.ts.
import type { Tensor, Tensor1D, Variable } from '@tensorflow/tfjs';
import { allocationPhase, type BudgetConfig } from '../../../../shared/math/adalora-budget';
import type { Tf } from '../../backend';
import type { MethodState } from '../method';
import { isVariable } from '../lora/layer';
import type { AdaloraLayer } from './layer';

/** Per module, which triplets are kept (PEFT's rank_pattern values). */
export type RankPattern = Map<string, boolean[]>;

interface Ema {
  ipt: Tensor;
  unc: Tensor;
}

export interface AllocationResult {
  budget: number;
  /** Set when this step masked: each module's kept rank. */
  ranks: { module: string; rank: number }[] | null;
}

export class RankAllocator {
  /** Per trainable variable name: Ī and Ū. Empty before the first update and after the final allocation (reset_ipt). */
  private ema = new Map<string, Ema>();
  /** The latest mask; null until the first masking step. */
  pattern: RankPattern | null = null;
  readonly budget: BudgetConfig;

  constructor(
    private readonly tf: Tf,
    private readonly layers: readonly AdaloraLayer[],
    private readonly beta1: number,
    private readonly beta2: number,
    schedule: Omit<BudgetConfig, 'initialBudget' | 'targetBudget'> & { targetR: number },
  ) {
    const initialBudget = layers.reduce((n, l) => n + l.rank, 0);
    // PEFT's target_bgt = target_r × matrices; an init_from adapter already below it keeps its ranks.
    const targetBudget = Math.min(initialBudget, schedule.targetR * layers.length);
    this.budget = { initialBudget, targetBudget, tinit: schedule.tinit, tfinal: schedule.tfinal, deltaT: schedule.deltaT, totalSteps: schedule.totalSteps };
  }

  /** update_and_allocate at `step` with the step's gradients by variable name. */
  async step(step: number, grads: ReadonlyMap<string, Tensor>): Promise<AllocationResult> {
    const phase = allocationPhase(step, this.budget);
    if (phase.kind === 'frozen') {
      this.applyPattern(this.pattern!);
      return { budget: this.budget.targetBudget, ranks: null };
    }
    if (phase.kind === 'budgeting') this.updateImportance(grads);
    if (phase.kind === 'budgeting' && !phase.mask) return { budget: phase.budget, ranks: null };
    this.pattern = await this.maskToBudget(phase.budget);
    if (phase.kind === 'final') this.resetImportance();
    return { budget: phase.budget, ranks: this.ranks() };
  }

  ranks(): { module: string; rank: number }[] {
    return this.layers.map((l) => ({ module: l.module, rank: this.pattern ? this.pattern.get(l.module)!.filter(Boolean).length : l.rank }));
  }

  /** A, E and B of a layer, as trainable variables (named `<module>.lora_A` …, the checkpoint keys). */
  private variablesOf(l: AdaloraLayer): Variable[] {
    const vars = l.variables();
    if (vars.length !== 3) throw new Error(`AdaLoRA: ${l.module} is not trainable`);
    return vars;
  }

  private updateImportance(grads: ReadonlyMap<string, Tensor>): void {
    const { tf, beta1, beta2 } = this;
    for (const l of this.layers) {
      for (const w of this.variablesOf(l)) {
        const g = grads.get(w.name);
        if (!g) throw new Error(`AdaLoRA: no gradient for ${w.name} this step`);
        const prev = this.ema.get(w.name);
        const next = tf.tidy(() => {
          const ipt = tf.abs(tf.mul(w, g));
          const avgIpt = tf.add(tf.mul(prev ? prev.ipt : tf.zerosLike(w), beta1), tf.mul(ipt, 1 - beta1));
          const unc = tf.add(tf.mul(prev ? prev.unc : tf.zerosLike(w), beta2), tf.mul(tf.abs(tf.sub(ipt, avgIpt)), 1 - beta2));
          return { ipt: avgIpt, unc };
        });
        prev?.ipt.dispose();
        prev?.unc.dispose();
        this.ema.set(w.name, next);
      }
    }
  }

  /**
   * S_i per module: s(E) + mean over A's row + mean over B's column (runtime layouts: aT [in, r], bT [r, out]).
   * Read with data() (every backend, a GPU one too), on masking steps only.
   */
  private async tripletScores(): Promise<Map<string, Float32Array>> {
    const { tf } = this;
    const out = new Map<string, Float32Array>();
    for (const l of this.layers) {
      const [a, e, b] = ['lora_A', 'lora_E', 'lora_B'].map((s) => this.ema.get(`${l.module}.${s}`));
      if (!a || !e || !b) throw new Error(`AdaLoRA: no importance yet for ${l.module} (masking before any update)`);
      const s = tf.tidy(() => {
        const score = (m: Ema) => tf.mul(m.ipt, m.unc);
        return tf.addN([score(e), tf.mean(score(a), 0), tf.mean(score(b), 1)]) as Tensor1D;
      });
      try {
        out.set(l.module, (await s.data()) as Float32Array);
      } finally {
        s.dispose();
      }
    }
    return out;
  }

  private async maskToBudget(budget: number): Promise<RankPattern> {
    const scores = await this.tripletScores();
    const all = Float32Array.from([...scores.values()].flatMap((s) => [...s])).sort();
    const k = this.budget.initialBudget - budget;
    // torch.kthvalue(k) is the k-th smallest (1-based); at k = 0 PEFT would fail, and
    // nothing is to be removed, so every triplet is kept.
    const threshold = k > 0 ? all[k - 1]! : -Infinity;
    const pattern: RankPattern = new Map();
    for (const l of this.layers) pattern.set(l.module, [...scores.get(l.module)!].map((s) => !(s <= threshold)));
    this.applyPattern(pattern);
    return pattern;
  }

  /** E_i ← 0 for every triplet the pattern drops (masked_fill_ on lora_E). */
  private applyPattern(pattern: RankPattern): void {
    const { tf } = this;
    for (const l of this.layers) {
      const keep = pattern.get(l.module)!;
      if (!isVariable(l.e)) continue;
      const e = l.e;
      // where(), not a multiply: masked_fill_ writes +0, where 0·(−λ) would leave −0.
      tf.tidy(() => e.assign(tf.where(tf.tensor1d(keep, 'bool'), e, tf.zerosLike(e))));
    }
  }

  private resetImportance(): void {
    for (const m of this.ema.values()) {
      m.ipt.dispose();
      m.unc.dispose();
    }
    this.ema.clear();
  }

  /** The EMAs and the mask, bit for bit, for a checkpoint. */
  async state(): Promise<MethodState> {
    const tensors: MethodState['tensors'] = [];
    for (const [name, m] of this.ema) {
      const [ipt, unc] = await Promise.all([m.ipt.data(), m.unc.data()]);
      tensors.push({ name: `${name}.exp_avg_ipt`, shape: [...m.ipt.shape], data: ipt as Float32Array });
      tensors.push({ name: `${name}.exp_avg_unc`, shape: [...m.unc.shape], data: unc as Float32Array });
    }
    return { tensors, json: { rankPattern: this.pattern ? Object.fromEntries(this.pattern) : null } };
  }

  restore(state: MethodState): void {
    this.resetImportance();
    const byName = new Map(state.tensors.map((t) => [t.name, t]));
    for (const l of this.layers) {
      for (const { name } of this.variablesOf(l)) {
        const ipt = byName.get(`${name}.exp_avg_ipt`);
        const unc = byName.get(`${name}.exp_avg_unc`);
        if (!ipt || !unc) continue;
        this.ema.set(name, { ipt: this.tf.tensor(ipt.data, ipt.shape), unc: this.tf.tensor(unc.data, unc.shape) });
      }
    }
    const json = state.json as { rankPattern: Record<string, boolean[]> | null } | null;
    this.pattern = json?.rankPattern ? new Map(Object.entries(json.rankPattern)) : null;
  }

  dispose(): void {
    this.resetImportance();
  }
}
