// AdaLoRA's budget schedule and importance EMAs, PEFT's AdaLoraConfig fields
// (delta_t is PEFT's deltaT). total_step is the run's train.steps.
import { z } from 'zod';

export const adaloraSchema = z
  .strictObject({
    init_r: z.number().int().positive().default(12),
    target_r: z.number().int().positive().default(8),
    tinit: z.number().int().min(0).default(0),
    tfinal: z.number().int().min(0).default(0),
    delta_t: z.number().int().positive().default(1),
    beta1: z.number().min(0).lt(1).default(0.85),
    beta2: z.number().min(0).lt(1).default(0.85),
    orth_reg_weight: z.number().min(0).default(0.5),
  })
  .refine((a) => a.target_r <= a.init_r, { message: 'target_r must not exceed init_r', path: ['target_r'] });
export type AdaloraConfig = z.infer<typeof adaloraSchema>;
