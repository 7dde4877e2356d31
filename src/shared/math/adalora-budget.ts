// AdaLoRA's rank budget over training, as peft/tuners/adalora/layer.py
// RankAllocator.budget_schedule computes it (Zhang et al. 2023, arXiv:2303.10512, eq. 12):
//   step ≤ tinit                 budget = initial (every triplet), no masking
//   step > total − tfinal        budget = target (target_r × matrices), masking every step
//   otherwise                    budget = ⌊(initial − target)·(1 − (step − tinit)/(total − tfinal − tinit))³ + target⌋,
//                                masking when step % delta_t == 0
// plus AdaLoraModel.update_and_allocate's phases around it: importance is updated
// while step < total − tfinal, the final allocation is forced at step == total − tfinal
// (whatever delta_t says), and after it the final mask is reapplied every step, frozen.
// Pure; `step` is PEFT's global_step: optimizer steps completed (1 … total).

export interface BudgetConfig {
  /** Σ init_r over the adapted matrices (PEFT's init_bgt). */
  initialBudget: number;
  /** target_r × the number of adapted matrices (PEFT's target_bgt). */
  targetBudget: number;
  tinit: number;
  tfinal: number;
  deltaT: number;
  /** total_step: the run's train.steps. */
  totalSteps: number;
}

/** PEFT's budget_schedule(step): the budget and whether this step masks to it. */
export function budgetSchedule(step: number, c: BudgetConfig): { budget: number; mask: boolean } {
  if (step <= c.tinit) return { budget: c.initialBudget, mask: false };
  if (step > c.totalSteps - c.tfinal) return { budget: c.targetBudget, mask: true };
  const mul = 1 - (step - c.tinit) / (c.totalSteps - c.tfinal - c.tinit);
  // Python's int() truncates toward zero; the value is ≥ target > 0 here, so floor is the same.
  return { budget: Math.floor((c.initialBudget - c.targetBudget) * mul ** 3 + c.targetBudget), mask: step % c.deltaT === 0 };
}

export type AllocationPhase =
  /** Update importance; mask to `budget` when `mask` (budget_schedule's verdict). */
  | { kind: 'budgeting'; budget: number; mask: boolean }
  /** step == total − tfinal: update nothing, mask to the target budget, freeze that mask. */
  | { kind: 'final'; budget: number }
  /** After the final allocation: reapply the frozen mask only. */
  | { kind: 'frozen' };

/** What AdaLoraModel.update_and_allocate does at `step`. */
export function allocationPhase(step: number, c: BudgetConfig): AllocationPhase {
  const end = c.totalSteps - c.tfinal;
  if (step < end) return { kind: 'budgeting', ...budgetSchedule(step, c) };
  if (step === end) return { kind: 'final', budget: budgetSchedule(step, c).budget };
  return { kind: 'frozen' };
}
