// The run config: one schema for the CLI, the engine, the UI and (as JSON Schema)
// the Monaco editor. Unknown keys are errors that name their path, and so is a
// combination no method can run (a section of another method, an AdaLoRA schedule
// without a budgeting phase, …): checkMethodConfig runs inside the schema, so every
// caller that parses a config refuses it before a run is recorded.
import { z } from 'zod';
import { adaloraSchema } from './adalora';
import { loraSchema } from './lora';
import { checkMethodConfig } from './methods';
import { quantSchema } from './quant';
import { dataSchema, trainSchema } from './train';

export const METHODS = ['lora', 'qlora', 'adalora', 'full'] as const;
export type Method = (typeof METHODS)[number];

export const runConfigSchema = z.strictObject({
  name: z.string().min(1).max(200).describe('A name for the run, shown in the runs table (1–200 characters).'),
  /** A Hugging Face model folder (config.json, safetensors weights, tokenizer files). */
  model: z.string().min(1).describe('The base model: a Hugging Face model folder (config.json, safetensors weights, tokenizer); relative paths are from the config file.'),
  method: z
    .enum(METHODS)
    .default('lora')
    .describe('lora: low-rank adapter on a frozen 16-bit base; qlora: the same on a 4-bit NF4 base; adalora: LoRA whose rank budget is reallocated while training; full: train every weight.'),
  lora: loraSchema.optional().describe('LoRA hyperparameters (PEFT LoraConfig); QLoRA and AdaLoRA read them too.'),
  adalora: adaloraSchema.optional().describe('AdaLoRA rank budget schedule (PEFT AdaLoraConfig); method adalora only.'),
  quant: quantSchema.optional().describe("How QLoRA stores the frozen base (bitsandbytes quantize_4bit); method qlora only."),
  data: dataSchema.describe('Training and evaluation data.'),
  train: trainSchema.default(trainSchema.parse({})).describe('Optimizer, schedule, evaluation and checkpoint settings.'),
  /** An adapter folder or a run id to continue from (a new run, new data). */
  init_from: z
    .union([z.string().min(1), z.number().int().positive()])
    .nullable()
    .default(null)
    .describe('Continue from an adapter or checkpoint folder, or a run id (its final adapter): a new run that starts from those weights.'),
}).superRefine((config, ctx) => {
  for (const { path, message } of checkMethodConfig(config)) ctx.addIssue({ code: 'custom', path, message });
});

export type RunConfigInput = z.input<typeof runConfigSchema>;
export type RunConfig = z.output<typeof runConfigSchema>;
