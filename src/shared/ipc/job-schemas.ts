// Jobs: heavy work that is not a training run (merge, generate, eval) runs in an
// engine process too, identified by a job id. These are the requests that start
// one, and the shapes of their progress, streamed tokens and results.
import { z } from 'zod';
import { quantSchema } from '../config/quant';
import { runIdSchema } from './schemas';

export const JOB_KINDS = ['merge', 'generate', 'eval'] as const;
export const jobKindSchema = z.enum(JOB_KINDS);
export type JobKind = z.infer<typeof jobKindSchema>;

export const jobIdSchema = z.string().regex(/^job-[a-z0-9-]+$/, 'a job id as returned by merge.start, generate.start or eval.start');
export type JobId = z.infer<typeof jobIdSchema>;

export const MERGE_DTYPE_NAMES = ['float32', 'float16', 'bfloat16'] as const;
export const mergeDtypeSchema = z.enum(MERGE_DTYPE_NAMES);
/**
 * The data type a merge writes unless told otherwise (the CLI's --dtype and the
 * wizard start here): float32 keeps W + ΔW without rounding either; float16 and
 * bfloat16 halve the files at the cost of rounding the merged weights.
 */
export const DEFAULT_MERGE_DTYPE: (typeof MERGE_DTYPE_NAMES)[number] = 'float32';

const path = z.string().min(1);

/**
 * Where a QLoRA adapter is merged: into the NF4 base dequantized (the merged model computes
 * what was trained) or into the original full-precision weights (the adapter's update on
 * weights it never saw; the difference is the quantization error).
 */
export const qloraBaseSchema = z.enum(['dequantized', 'original']);

/** A QLoRA merge measured against the unmerged quantized model (also written as qlora_merge.json in the folder). */
export const qloraMergeReportSchema = z.object({
  qlora_base: qloraBaseSchema,
  quant: quantSchema,
  dtype: z.string(),
  max_abs_logit_error: z.number(),
  mean_abs_logit_error: z.number(),
  relative_logit_error: z.number(),
  sequences: z.number().int(),
  tokens: z.number().int(),
});
export type QloraMergeReportData = z.infer<typeof qloraMergeReportSchema>;

export const mergeRequestSchema = z.strictObject({
  /** The base model folder. */
  base: path,
  /** Adapter folders and their weights (W' = W + Σ wᵢ·ΔWᵢ); a negative weight subtracts (unmerge). */
  adapters: z.array(z.strictObject({ path, weight: z.number().finite() })).min(1),
  /** The output folder; it must not exist yet. */
  out: path,
  dtype: mergeDtypeSchema.default(DEFAULT_MERGE_DTYPE),
  /** Bytes per shard, or text such as "5GB" / "500MB"; Hugging Face's default is 5 GB. */
  maxShardSize: z.union([z.number().int().positive(), z.string().min(1)]).optional(),
  /** Run base + adapter and the merged model on sample sequences and compare logits. */
  verify: z.boolean().default(true),
  /** QLoRA adapters: merge into the dequantized NF4 base or the original wide weights. */
  qloraBase: qloraBaseSchema.optional(),
  /** The run to record the merged model under (default: the run that wrote the first adapter). */
  runId: runIdSchema.optional(),
});
export type MergeRequest = z.output<typeof mergeRequestSchema>;

export const verifyResultSchema = z.object({
  maxAbsLogitDiff: z.number(),
  sequences: z.number().int(),
  tokens: z.number().int(),
});
export type VerifyResultData = z.infer<typeof verifyResultSchema>;

export const mergeResultSchema = z.object({
  out: z.string(),
  tensors: z.number().int(),
  adaptedModules: z.array(z.string()),
  shards: z.number().int(),
  bytes: z.number().int(),
  seconds: z.number(),
  dtype: mergeDtypeSchema,
  /** null when not asked for, or when LoRA Lab has no forward pass for the architecture. */
  verify: verifyResultSchema.nullable(),
  /** Why verification was skipped, when it was. */
  verifySkipped: z.string().nullable(),
  /** A QLoRA merge: the logit error against the NF4 base with the adapter unmerged. */
  qlora: qloraMergeReportSchema.nullable().default(null),
  runId: runIdSchema.nullable(),
  artifactId: z.number().int().positive(),
});
export type MergeResultData = z.infer<typeof mergeResultSchema>;

export const generateRequestSchema = z.strictObject({
  model: path,
  /** An adapter folder, or null for the base model alone. */
  adapter: path.nullable().default(null),
  prompt: z.string(),
  /** Apply the model's chat template (a user turn + generation prompt) when it has one; false sends the prompt raw. */
  chat: z.boolean().default(true),
  maxNewTokens: z.number().int().positive().max(4096).default(64),
  /** 0 is greedy. */
  temperature: z.number().min(0).finite().default(0),
  topP: z.number().gt(0).max(1).default(1),
  seed: z.number().int().min(0).default(0),
  /** Run the base as QLoRA trains it: decoder-block linear weights in NF4 (block 64). */
  quantize: z.enum(['nf4']).nullable().default(null),
  /** With quantize: also quantize the block scales to 8 bits (QLoRA's double quantization). */
  doubleQuant: z.boolean().default(false),
  /** Echoed on every onGenerateToken of this job, so a side-by-side view can route the text. */
  which: z.enum(['base', 'adapter']).optional(),
});
export type GenerateRequest = z.output<typeof generateRequestSchema>;

export const generateResultSchema = z.object({
  text: z.string(),
  /** The text the model was given (after the chat template, when applied). */
  renderedPrompt: z.string(),
  /** Whether the chat template was applied (chat mode on a model folder that has one). */
  chatTemplate: z.boolean(),
  tokens: z.number().int(),
  promptTokens: z.number().int(),
  seconds: z.number(),
  /** Why generation ended. */
  stop: z.enum(['eos', 'max-new-tokens', 'cancelled']),
});
export type GenerateResultData = z.infer<typeof generateResultSchema>;

export const evalRequestSchema = z.strictObject({
  model: path,
  adapter: path.nullable().default(null),
  /** A JSON Lines data file. */
  data: path,
  batchSize: z.number().int().positive().max(4096).default(8),
  quantize: z.enum(['nf4']).nullable().default(null),
  doubleQuant: z.boolean().default(false),
  /** Also answer the first `limit` chat rows greedily and count the answers that equal the row's last (assistant) turn. */
  exactMatch: z
    .strictObject({ limit: z.number().int().positive().max(100_000), maxNewTokens: z.number().int().positive().max(4096).default(32) })
    .nullable()
    .default(null),
});
export type EvalRequest = z.output<typeof evalRequestSchema>;

export const exactMatchResultSchema = z.object({
  correct: z.number().int(),
  total: z.number().int(),
  accuracy: z.number(),
  samples: z.array(z.object({ prompt: z.string(), expected: z.string(), answer: z.string(), correct: z.boolean() })),
});
export type ExactMatchResultData = z.infer<typeof exactMatchResultSchema>;

export const evalResultSchema = z.object({
  loss: z.number(),
  perplexity: z.number(),
  tokens: z.number().int(),
  /** With the request's exactMatch: greedy answers to its first rows, judged exactly. */
  exactMatch: exactMatchResultSchema.optional(),
});
export type EvalResultData = z.infer<typeof evalResultSchema>;

export const jobInfoSchema = z.object({
  jobId: jobIdSchema,
  kind: jobKindSchema,
  startedAt: z.number(),
  /** The engine process doing the work. */
  pid: z.number().int().nullable(),
});
export type JobInfo = z.infer<typeof jobInfoSchema>;

export const jobProgressEventSchema = z.object({
  jobId: jobIdSchema,
  kind: jobKindSchema,
  /** 0..1, or null when the job cannot tell (loading a model). */
  fraction: z.number().min(0).max(1).nullable(),
  message: z.string(),
});

export const generateTokenEventSchema = z.object({
  jobId: jobIdSchema,
  /** Which side of a base-vs-adapter comparison the text belongs to, when the caller runs two. */
  which: z.enum(['base', 'adapter']).optional(),
  /** The decoded text this token adds (may be empty inside a multi-byte character). */
  text: z.string(),
});

export const jobDoneEventSchema = z.object({
  jobId: jobIdSchema,
  kind: jobKindSchema,
  ok: z.boolean(),
  /** merge: a merge result; generate: a generate result; eval: an eval result; null on failure. */
  result: z.union([mergeResultSchema, generateResultSchema, evalResultSchema]).nullable(),
  error: z.string().nullable(),
});
export type JobDoneEvent = z.infer<typeof jobDoneEventSchema>;
