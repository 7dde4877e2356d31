// Trainer and data settings shared by every method.
import { z } from 'zod';

export const trainSchema = z.strictObject({
  steps: z.number().int().positive().default(200),
  batch_size: z.number().int().positive().default(8),
  grad_accum: z.number().int().positive().default(1),
  lr: z.number().positive().default(2e-4),
  schedule: z.enum(['constant', 'linear', 'cosine']).default('cosine'),
  warmup_steps: z.number().int().min(0).default(0),
  weight_decay: z.number().min(0).default(0),
  max_grad_norm: z.number().positive().nullable().default(1.0),
  seed: z.number().int().min(0).default(42),
  eval_every: z.number().int().positive().nullable().default(null),
  save_every: z.number().int().positive().nullable().default(null),
});
export type TrainConfig = z.infer<typeof trainSchema>;

export const dataSchema = z.strictObject({
  train: z.string().min(1),
  eval: z.string().min(1).nullable().default(null),
  max_seq_len: z.number().int().positive().default(256),
});
export type DataConfig = z.infer<typeof dataSchema>;
