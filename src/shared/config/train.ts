// Trainer and data settings shared by every method.
import { z } from 'zod';

export const trainSchema = z.strictObject({
  steps: z.number().int().positive().default(200).describe('Optimizer steps to train for.'),
  batch_size: z.number().int().positive().default(8).describe('Examples per micro-batch.'),
  grad_accum: z.number().int().positive().default(1).describe('Micro-batches whose gradients are summed before each optimizer step (effective batch = batch_size × grad_accum).'),
  lr: z.number().positive().default(2e-4).describe('Peak learning rate of AdamW.'),
  schedule: z.enum(['constant', 'linear', 'cosine']).default('cosine').describe('Learning-rate schedule after warm-up: constant, linear decay to 0, or cosine decay to 0.'),
  warmup_steps: z.number().int().min(0).default(0).describe('Steps of linear warm-up from 0 to lr.'),
  weight_decay: z.number().min(0).default(0).describe('AdamW decoupled weight decay.'),
  max_grad_norm: z.number().positive().nullable().default(1.0).describe('Clip the global gradient norm to this; null turns clipping off.'),
  seed: z.number().int().min(0).default(42).describe('Seed for initialization, dropout and data order: the same seed and config give the same run.'),
  eval_every: z.number().int().positive().nullable().default(null).describe('Evaluate on data.eval every this many steps (and at the last step); null: only at the last step.'),
  save_every: z.number().int().positive().nullable().default(null).describe('Save a resumable checkpoint every this many steps (and at the last step); null: only at the last step.'),
});
export type TrainConfig = z.infer<typeof trainSchema>;

export const dataSchema = z.strictObject({
  train: z.string().min(1).describe('Training data: a JSON Lines file, one row per line ({"text"}, {"instruction","input","output"}, {"messages"} or {"input_ids","labels"}); relative paths are from the config file.'),
  eval: z.string().min(1).nullable().default(null).describe('Evaluation data in the same format, or null for none.'),
  max_seq_len: z.number().int().positive().default(256).describe('Tokens per example; longer examples are cut here.'),
});
export type DataConfig = z.infer<typeof dataSchema>;
