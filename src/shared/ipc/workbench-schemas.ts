// Shapes of the workbench's helper channels: the inspect report, the model list,
// the tokenized data preview and the starter config.
import { z } from 'zod';

export const ADAPTER_METHODS = ['lora', 'qlora', 'adalora'] as const;

/** A comma list (PEFT's list rule), a regex string (full match), 'all-linear', or null for PEFT's defaults. */
export const targetsInputSchema = z.union([z.array(z.string().min(1)).min(1), z.string().min(1)]).nullable();

export const inspectRequestSchema = z.strictObject({
  /** A model folder or a preset id (resources/presets/<id>.json). */
  model: z.string().min(1),
  method: z.enum(ADAPTER_METHODS).default('lora'),
  /** LoRA r; AdaLoRA init_r. */
  rank: z.number().int().positive().optional(),
  alpha: z.number().positive().finite().optional(),
  /** An array of names, "/regex/" or a bare regex, "all-linear", or null for PEFT's defaults. */
  targets: targetsInputSchema.default(null),
  /** AdaLoRA target_r. */
  targetRank: z.number().int().positive().optional(),
  rslora: z.boolean().optional(),
  batchSize: z.number().int().positive().optional(),
  seqLen: z.number().int().positive().optional(),
});
export type InspectRequest = z.output<typeof inspectRequestSchema>;

const tensorKind = z.enum(['linear', 'conv1d', 'embedding', 'norm', 'bias', 'buffer']);
const memoryTerm = z.object({
  name: z.enum(['weights', 'adapter', 'gradients', 'optimizer', 'activations', 'logits']),
  bytes: z.number(),
  formula: z.string(),
});

/** `loralab inspect --json`: the same object over the contract. */
export const inspectReportSchema = z.object({
  method: z.enum(ADAPTER_METHODS),
  rank: z.number().int(),
  alpha: z.number(),
  scaling: z.number(),
  baseParams: z.number().int(),
  trainableParams: z.number().int(),
  totalParams: z.number().int(),
  trainablePercent: z.number(),
  modules: z.array(
    z.object({
      module: z.string(),
      tensor: z.string(),
      kind: tensorKind,
      shape: z.array(z.number().int()),
      in: z.number().int(),
      out: z.number().int(),
      rank: z.number().int(),
      params: z.number().int(),
    }),
  ),
  adapterBytes: z.object({
    float32: z.number(),
    float16: z.number(),
    bfloat16: z.number(),
    fileFloat32: z.number(),
    fileFloat16: z.number(),
    fileBfloat16: z.number(),
  }),
  adalora: z
    .object({ initR: z.number(), targetR: z.number(), initParams: z.number(), targetParams: z.number(), fileFloat32AtTarget: z.number() })
    .optional(),
  targets: z.union([z.array(z.string()).readonly(), z.string()]),
  source: z.string(),
  model: z.object({
    kind: z.enum(['model-dir', 'preset']),
    modelType: z.string().nullable(),
    variant: z.string().nullable(),
    hfId: z.string().optional(),
    files: z.array(z.string()),
    tensors: z.number().int(),
  }),
  memory: z.object({
    method: z.enum(['lora', 'qlora', 'adalora', 'full']),
    batchSize: z.number().int(),
    seqLen: z.number().int(),
    terms: z.array(memoryTerm),
    totalBytes: z.number(),
    compare: z.object({ full: z.number(), lora: z.number(), qlora: z.number() }),
  }),
});
export type InspectReportData = z.infer<typeof inspectReportSchema>;

export const modelEntrySchema = z.object({
  path: z.string(),
  name: z.string(),
  /** Shipped in resources/models, or used by a run in this registry. */
  source: z.enum(['bundled', 'recent']),
  modelType: z.string().nullable(),
});
export type ModelEntry = z.infer<typeof modelEntrySchema>;

export const dataPreviewRequestSchema = z.strictObject({
  /** The model folder whose tokenizer (and chat template) encodes the data. */
  model: z.string().min(1),
  /** A JSON Lines data file. */
  file: z.string().min(1),
  maxSeqLen: z.number().int().positive().max(1_000_000),
  /** How many examples to return (from the top of the file). */
  limit: z.number().int().positive().max(200).default(8),
});
export type DataPreviewRequest = z.output<typeof dataPreviewRequestSchema>;

export const dataPreviewSchema = z.object({
  examples: z.array(
    z.object({
      /** The file line the example came from. */
      line: z.number().int().positive(),
      /** learned: the token's label is kept (it is predicted in the loss); false: masked (prompt, padding). */
      tokens: z.array(z.object({ id: z.number().int(), text: z.string(), learned: z.boolean() })),
      /** The example was longer than maxSeqLen and is cut there in training. */
      truncated: z.boolean(),
    }),
  ),
  /** Non-blank lines in the file. */
  total: z.number().int().min(0),
  /** Lines that would fail in training, each naming its file and line. */
  errors: z.array(z.object({ line: z.number().int().positive(), message: z.string() })),
});
export type DataPreview = z.infer<typeof dataPreviewSchema>;

export const configDefaultsSchema = z.object({
  /** The starter config (a valid run config, paths absolute). */
  config: z.record(z.string(), z.unknown()),
  /** The same config as commented YAML text for the editor. */
  yaml: z.string(),
});

export const showInFolderSchema = z.object({ opened: z.boolean(), path: z.string() });
export const pickFolderSchema = z.object({ path: z.string().nullable(), supported: z.boolean() });
