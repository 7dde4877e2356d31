// Data shapes that cross the IPC boundary (renderer <-> main, browser <-> `loralab ui`).
import { z } from 'zod';
import { METHODS } from '../config/run-config';

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'stopped', 'crashed'] as const;
export const runStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof runStatusSchema>;
/** Statuses in which an engine process may still be working on the run. */
export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running'];

export const runIdSchema = z.number().int().positive();

export const runSummarySchema = z.object({
  id: runIdSchema,
  name: z.string(),
  method: z.enum(METHODS),
  status: runStatusSchema,
  parentRunId: runIdSchema.nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  error: z.string().nullable(),
  /** Last training step with a recorded loss, and that loss. */
  lastStep: z.number().int().nullable(),
  lastLoss: z.number().nullable(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const runDetailSchema = runSummarySchema.extend({
  /** The validated run config, as stored (JSON). */
  config: z.record(z.string(), z.unknown()),
  tags: z.array(z.string()),
});
export type RunDetail = z.infer<typeof runDetailSchema>;

export const metricPointSchema = z.object({
  step: z.number().int().min(0),
  name: z.string(),
  value: z.number(),
  wallTime: z.number(),
});
export type MetricPoint = z.infer<typeof metricPointSchema>;

export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export const backendNameSchema = z.enum(BACKENDS);
export type BackendName = z.infer<typeof backendNameSchema>;

export const doctorReportSchema = z.object({
  backend: backendNameSchema,
  tfjsVersion: z.string(),
  gpu: z.object({
    /** A GPU-capable backend (tfjs-node-gpu) is installed and loaded. */
    available: z.boolean(),
    package: z.string().nullable(),
  }),
  /** Every backend tried before the one in use, and why it was not used. */
  fallbacks: z.array(z.object({ backend: backendNameSchema, package: z.string().nullable(), reason: z.string() })),
  cpus: z.number().int(),
  memoryBytes: z.number(),
  registryPath: z.string(),
  node: z.string(),
  platform: z.string(),
});
export type DoctorReport = z.infer<typeof doctorReportSchema>;
