// The run config: one schema for the CLI, the engine, the UI and (as JSON Schema)
// the Monaco editor. Unknown keys are errors that name their path.
import { z } from 'zod';
import { adaloraSchema } from './adalora';
import { loraSchema } from './lora';
import { quantSchema } from './quant';
import { dataSchema, trainSchema } from './train';

export const METHODS = ['lora', 'qlora', 'adalora', 'full'] as const;
export type Method = (typeof METHODS)[number];

export const runConfigSchema = z.strictObject({
  name: z.string().min(1).max(200),
  /** A Hugging Face model folder, or `builtin:<name>` for the engine's built-in toy models. */
  model: z.string().min(1),
  method: z.enum(METHODS).default('lora'),
  lora: loraSchema.optional(),
  adalora: adaloraSchema.optional(),
  quant: quantSchema.optional(),
  data: dataSchema,
  train: trainSchema.default(trainSchema.parse({})),
  /** An adapter folder or a run id to continue from (a new run, new data). */
  init_from: z.union([z.string().min(1), z.number().int().positive()]).nullable().default(null),
});

export type RunConfigInput = z.input<typeof runConfigSchema>;
export type RunConfig = z.output<typeof runConfigSchema>;
