// AdaLoRA's cubic budget schedule and update_and_allocate's phases at chosen steps,
// against the formula of peft/tuners/adalora/layer.py budget_schedule written out by hand.
// Run: node --import tsx --test src/shared/math/adalora-budget.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocationPhase, budgetSchedule, type BudgetConfig } from './adalora-budget';

// 4 matrices at init_r 12 → 48; target_r 4 → 16; total 100, tinit 10, tfinal 20, delta_t 5.
const C: BudgetConfig = { initialBudget: 48, targetBudget: 16, tinit: 10, tfinal: 20, deltaT: 5, totalSteps: 100 };

test('the initial budget until tinit, without masking', () => {
  for (const step of [0, 1, 5, 10]) assert.deepEqual(budgetSchedule(step, C), { budget: 48, mask: false });
});

test('the cubic decrease between tinit and total − tfinal, masking every delta_t steps', () => {
  // step 11: 1 − 1/70 → 32·(69/70)³ + 16 = 46.65… → 46
  assert.deepEqual(budgetSchedule(11, C), { budget: 46, mask: false });
  // step 15: 1 − 5/70 → 32·(65/70)³ + 16 = 41.62… → 41, and 15 % 5 == 0
  assert.deepEqual(budgetSchedule(15, C), { budget: 41, mask: true });
  // step 45: mul = 0.5 → 32/8 + 16 = 20
  assert.deepEqual(budgetSchedule(45, C), { budget: 20, mask: true });
  // step 79: 1 − 69/70 → 32/70³ + 16 → 16
  assert.deepEqual(budgetSchedule(79, C), { budget: 16, mask: false });
  assert.deepEqual(budgetSchedule(80, C), { budget: 16, mask: true });
  // Never below the target, never above the initial budget, and never increasing.
  let prev = Infinity;
  for (let s = 0; s <= 100; s++) {
    const b = budgetSchedule(s, C).budget;
    assert.ok(b >= 16 && b <= 48 && b <= prev, `step ${s}: ${b}`);
    prev = b;
  }
});

test('the target budget and masking every step after total − tfinal', () => {
  for (const step of [81, 90, 100]) assert.deepEqual(budgetSchedule(step, C), { budget: 16, mask: true });
});

test('update_and_allocate phases: budgeting before total − tfinal, the final allocation at it, frozen after', () => {
  assert.deepEqual(allocationPhase(10, C), { kind: 'budgeting', budget: 48, mask: false });
  assert.deepEqual(allocationPhase(45, C), { kind: 'budgeting', budget: 20, mask: true });
  assert.deepEqual(allocationPhase(79, C), { kind: 'budgeting', budget: 16, mask: false });
  assert.deepEqual(allocationPhase(80, C), { kind: 'final', budget: 16 });
  assert.deepEqual(allocationPhase(81, C), { kind: 'frozen' });
  assert.deepEqual(allocationPhase(100, C), { kind: 'frozen' });
  // tfinal 0: the final allocation falls on the last step itself.
  const noFinal = { ...C, tfinal: 0 };
  assert.deepEqual(allocationPhase(100, noFinal), { kind: 'final', budget: 16 });
  assert.deepEqual(allocationPhase(99, noFinal).kind, 'budgeting');
});
