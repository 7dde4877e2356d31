// Messages between main (the run supervisor, the jobs service) and an engine
// process over the Node IPC channel of child_process.fork. One definition: zod
// schemas, validated on both sides of the boundary, built from the contract's own
// event schemas (a progress message IS an onProgress payload plus its type). The
// engine writes everything durable about a run to the registry itself, so
// progress messages are for live display only: losing one loses nothing.
import { z } from 'zod';
import { events } from '../../shared/ipc/contract';
import {
  evalRequestSchema,
  evalResultSchema,
  generateRequestSchema,
  generateResultSchema,
  jobIdSchema,
  mergeDtypeSchema,
  mergeResultSchema,
  qloraBaseSchema,
} from '../../shared/ipc/job-schemas';
import { quantSchema } from '../../shared/config/quant';
import { dataPreviewRequestSchema, dataPreviewSchema } from '../../shared/ipc/workbench-schemas';
import { backendNameSchema, doctorReportSchema, runIdSchema } from '../../shared/ipc/schemas';

/** 'auto' or a backend name; overrides LORALAB_BACKEND when set. */
const backend = z.string().optional();

/** Parent -> engine: train one run (fresh, resumed from a checkpoint, or started from an adapter). */
export const runJobSchema = z.strictObject({
  type: z.literal('run'),
  runId: runIdSchema,
  registryPath: z.string().min(1),
  backend,
  /** The run's folder for checkpoints and the adapter. */
  runDir: z.string().min(1),
  /** A checkpoint folder to continue from (resume), or null for a fresh start. */
  resumeFrom: z.string().nullable(),
  /** A PEFT adapter folder the run starts from (init_from, resolved), or null. */
  initFrom: z.string().nullable(),
});
export type RunJob = z.infer<typeof runJobSchema>;

/** Parent -> engine: merge adapters into a base model folder (paths absolute, shard size in bytes). */
export const mergeJobSchema = z.strictObject({
  type: z.literal('merge'),
  jobId: jobIdSchema,
  backend,
  base: z.string().min(1),
  adapters: z.array(z.strictObject({ dir: z.string().min(1), weight: z.number().finite() })).min(1),
  out: z.string().min(1),
  dtype: mergeDtypeSchema,
  maxShardBytes: z.number().int().positive().optional(),
  verify: z.boolean(),
  /** A QLoRA adapter: which base to merge into, and how that base was quantized in training. */
  qlora: z.strictObject({ base: qloraBaseSchema, quant: quantSchema }).nullable().optional(),
});
export type MergeJob = z.infer<typeof mergeJobSchema>;

export const generateJobSchema = z.strictObject({ type: z.literal('generate'), jobId: jobIdSchema, backend, request: generateRequestSchema });
export type GenerateJob = z.infer<typeof generateJobSchema>;

export const evalJobSchema = z.strictObject({ type: z.literal('eval'), jobId: jobIdSchema, backend, request: evalRequestSchema });
export type EvalJob = z.infer<typeof evalJobSchema>;

/** Parent -> engine: which backend an engine gets on this machine, and why (the doctor report). */
export const doctorJobSchema = z.strictObject({ type: z.literal('doctor'), backend, registryPath: z.string() });
export type DoctorJob = z.infer<typeof doctorJobSchema>;

/**
 * Parent -> engine: serve data previews (preview-request messages) until idle for
 * idleMs, keeping the tokenizers it loaded; the one job that answers more than once.
 */
export const previewJobSchema = z.strictObject({ type: z.literal('preview'), idleMs: z.number().int().positive() });
export type PreviewJob = z.infer<typeof previewJobSchema>;

/** Parent -> the preview engine: one data.preview request (validated by the contract, defaults applied). */
export const previewRequestSchema = z.strictObject({
  type: z.literal('preview-request'),
  requestId: z.number().int().min(0),
  request: dataPreviewRequestSchema,
});
export type PreviewRequest = z.infer<typeof previewRequestSchema>;

/** Parent -> engine: finish the current step (or token), record the outcome, exit. */
export const stopRequestSchema = z.strictObject({ type: z.literal('stop') });
export type StopRequest = z.infer<typeof stopRequestSchema>;

/** Every job an engine process can run: one per process. */
export const engineJobSchema = z.discriminatedUnion('type', [runJobSchema, mergeJobSchema, generateJobSchema, evalJobSchema, doctorJobSchema, previewJobSchema]);
export type EngineJob = z.infer<typeof engineJobSchema>;

export const toEngineSchema = z.discriminatedUnion('type', [
  runJobSchema,
  mergeJobSchema,
  generateJobSchema,
  evalJobSchema,
  doctorJobSchema,
  previewJobSchema,
  previewRequestSchema,
  stopRequestSchema,
]);
export type ToEngine = z.infer<typeof toEngineSchema>;

/** The engine's merge result; main adds the run and artifact it records. */
export const engineMergeResultSchema = mergeResultSchema.omit({ runId: true, artifactId: true });
export type EngineMergeResult = z.infer<typeof engineMergeResultSchema>;

export const jobResultSchema = z.union([engineMergeResultSchema, generateResultSchema, evalResultSchema]);

export const fromEngineSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), runId: runIdSchema, backend: backendNameSchema, pid: z.number().int() }),
  events.onProgress.extend({ type: z.literal('progress') }),
  z.object({
    type: z.literal('finished'),
    runId: runIdSchema,
    status: z.enum(['completed', 'failed', 'stopped']),
    error: z.string().nullable(),
  }),
  events.onJobProgress.extend({ type: z.literal('job-progress') }),
  events.onGenerateToken.extend({ type: z.literal('job-token') }),
  events.onJobDone.omit({ result: true }).extend({ type: z.literal('job-done'), result: jobResultSchema.nullable() }),
  z.object({ type: z.literal('doctor'), report: doctorReportSchema }),
  z.object({
    type: z.literal('preview-result'),
    requestId: z.number().int().min(0),
    preview: dataPreviewSchema.nullable(),
    /** A refusal as the router reports it (code, message, the failing fields). */
    error: z
      .object({ code: z.enum(['VALIDATION', 'NOT_FOUND', 'INTERNAL']), message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() })
      .nullable(),
  }),
]);
export type FromEngine = z.infer<typeof fromEngineSchema>;

/** Parses a message from the other side; null (and a line on stderr) for anything that is not one. */
export function parseMessage<T>(schema: z.ZodType<T>, raw: unknown, from: string): T | null {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  process.stderr.write(`loralab: ignored a malformed message from ${from} (${issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid'})\n`);
  return null;
}
