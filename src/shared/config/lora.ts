// LoRA hyperparameters, as PEFT's LoraConfig names them (r, lora_alpha, lora_dropout,
// target_modules, use_rslora), with LoRA Lab's shorter keys.
import { z } from 'zod';

export const loraSchema = z.strictObject({
  r: z.number().int().positive().default(8).describe('Rank r of the update ΔW = B·A (PEFT LoraConfig.r). The adapter grows linearly with r.'),
  alpha: z.number().positive().default(16).describe('lora_alpha: the update is scaled by alpha / r (alpha / √r with rslora; alpha / init_r for AdaLoRA).'),
  dropout: z.number().min(0).lt(1).default(0).describe("lora_dropout: dropout on the adapter's input while training, in [0, 1)."),
  /** Module names: exact, dotted suffix, or a regular expression (a single string). null = PEFT's defaults. */
  targets: z
    .union([z.array(z.string().min(1)).min(1), z.string().min(1)])
    .nullable()
    .default(null)
    .describe(
      "target_modules: a list of module names (exact, or a dotted suffix such as q_proj), or one regular expression that must match a module's full name; null uses PEFT's defaults for the architecture.",
    ),
  rslora: z.boolean().default(false).describe('use_rslora: scale by alpha / √r instead of alpha / r (rank-stabilized LoRA, Kalajdzievski 2023).'),
});
export type LoraConfig = z.infer<typeof loraSchema>;
