// Schemas of the cluster.* channels: hand a run to Hugging Face accelerate + PEFT
// (export a job folder) and bring a finished job back (import it as a run).
import { z } from 'zod';
import { runIdSchema } from './schemas';

/** How accelerate spreads the job over the GPUs. */
export const CLUSTER_STRATEGIES = ['ddp', 'deepspeed-zero2', 'deepspeed-zero3', 'fsdp'] as const;
export type ClusterStrategy = (typeof CLUSTER_STRATEGIES)[number];

export const exportJobRequestSchema = z.strictObject({
  runId: runIdSchema,
  /** The job folder to write (new or empty); a relative path is taken in the registry's folder (beside runs/). */
  out: z.string().trim().min(1),
  gpus: z.number().int().min(1).max(1024).default(1),
  strategy: z.enum(CLUSTER_STRATEGIES).default('ddp'),
  /** Keep the data files where they are instead of copying them into the job. */
  dataPaths: z.boolean().default(false),
  /** The model path or Hub id train.py loads on the cluster (default: the run's model folder). */
  model: z.string().trim().min(1).optional(),
  copyModel: z.boolean().default(false),
});

export const exportJobResultSchema = z.object({
  dir: z.string(),
  files: z.array(z.string()),
  sourceRunId: runIdSchema.nullable(),
  strategy: z.enum(CLUSTER_STRATEGIES),
  gpus: z.number().int(),
});

export const importJobRequestSchema = z.strictObject({
  /** The job folder, its output/, or a PEFT adapter folder with a Trainer trainer_state.json (relative: in the registry's folder). */
  dir: z.string().trim().min(1),
});

export const importJobResultSchema = z.object({
  runId: runIdSchema,
  name: z.string(),
  status: z.enum(['completed', 'stopped']),
  parentRunId: runIdSchema.nullable(),
  artifact: z.object({ kind: z.enum(['adapter', 'model']), path: z.string() }),
  /** Points recorded per metric name. */
  metrics: z.record(z.string(), z.number().int()),
  steps: z.number().int(),
  warnings: z.array(z.string()),
});
