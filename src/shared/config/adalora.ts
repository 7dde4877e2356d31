// AdaLoRA's budget schedule and importance EMAs, PEFT's AdaLoraConfig fields
// (delta_t is PEFT's deltaT). total_step is the run's train.steps.
import { z } from 'zod';

export const adaloraSchema = z
  .strictObject({
    init_r: z.number().int().positive().default(12).describe('The rank every adapted matrix starts with, before the budget prunes it.'),
    target_r: z.number().int().positive().default(8).describe('The average rank per matrix the budget ends at (at most init_r).'),
    tinit: z.number().int().min(0).default(0).describe('Warm-up steps at init_r before the budget starts shrinking.'),
    tfinal: z.number().int().min(0).default(0).describe('Final steps at target_r with the rank pattern frozen.'),
    delta_t: z.number().int().positive().default(1).describe('Steps between two budget allocations (PEFT deltaT).'),
    beta1: z.number().min(0).lt(1).default(0.85).describe('EMA factor of the sensitivity (importance) estimate, in [0, 1).'),
    beta2: z.number().min(0).lt(1).default(0.85).describe('EMA factor of the uncertainty estimate, in [0, 1).'),
    orth_reg_weight: z.number().min(0).default(0.5).describe('Weight of the orthogonality penalty ‖PᵀP − I‖² + ‖QQᵀ − I‖² added to the loss.'),
  })
  .refine((a) => a.target_r <= a.init_r, { message: 'target_r must not exceed init_r', path: ['target_r'] });
export type AdaloraConfig = z.infer<typeof adaloraSchema>;
