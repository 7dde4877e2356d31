// LoRA hyperparameters, as PEFT's LoraConfig names them (r, lora_alpha, lora_dropout,
// target_modules, use_rslora), with LoRA Lab's shorter keys.
import { z } from 'zod';

export const loraSchema = z.strictObject({
  r: z.number().int().positive().default(8),
  alpha: z.number().positive().default(16),
  dropout: z.number().min(0).lt(1).default(0),
  /** Module names: exact, dotted suffix, or a regular expression (a single string). null = PEFT's defaults. */
  targets: z.union([z.array(z.string().min(1)).min(1), z.string().min(1)]).nullable().default(null),
  rslora: z.boolean().default(false),
});
export type LoraConfig = z.infer<typeof loraSchema>;
