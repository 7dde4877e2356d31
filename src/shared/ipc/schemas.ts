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
  /** The config's `model` (a model folder). */
  baseModel: z.string(),
  /** LoRA/QLoRA r, AdaLoRA init_r; null for full fine-tuning. */
  rank: z.number().int().positive().nullable(),
  /** The lowest eval_loss recorded, or null before the first evaluation. */
  bestEvalLoss: z.number().nullable(),
  /** endedAt − startedAt, or now − startedAt while it runs; null before it starts. */
  durationMs: z.number().min(0).nullable(),
  /** Bytes of the run's adapter (or full model) folder, once written. */
  adapterBytes: z.number().int().min(0).nullable(),
  tags: z.array(z.string()),
  /** Parameters in the saved adapter (or the full model), from its safetensors headers. */
  trainableParams: z.number().int().min(0).nullable(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const checkpointInfoSchema = z.object({
  step: z.number().int().min(0),
  path: z.string(),
  bytes: z.number().int().min(0).nullable(),
  createdAt: z.number(),
});
export type CheckpointInfo = z.infer<typeof checkpointInfoSchema>;

export const artifactInfoSchema = z.object({
  id: z.number().int().positive(),
  /** 'adapter' | 'model' | 'merged-model' | 'unmerged-model' | … */
  kind: z.string(),
  path: z.string(),
  /** Kind-specific (a merged model's meta carries its verification result). */
  meta: z.record(z.string(), z.unknown()),
  createdAt: z.number(),
});
export type ArtifactInfo = z.infer<typeof artifactInfoSchema>;

export const runDetailSchema = runSummarySchema.extend({
  /** The validated run config, as stored (JSON). */
  config: z.record(z.string(), z.unknown()),
  checkpoints: z.array(checkpointInfoSchema),
  artifacts: z.array(artifactInfoSchema),
  /** Runs started from this one (init_from), oldest first. */
  children: z.array(runIdSchema),
  /** The chain of runs this one continues, nearest first. */
  lineage: z.array(runIdSchema),
  /** The engine process recorded for the run, and whether it is alive now. */
  pid: z.number().int().nullable(),
  engineAlive: z.boolean(),
});
export type RunDetail = z.infer<typeof runDetailSchema>;

/** AdaLoRA: the rank one adapted matrix kept at one masking step. */
export const rankPointSchema = z.object({
  step: z.number().int().min(0),
  module: z.string(),
  rank: z.number().int().min(0),
});
export type RankPoint = z.infer<typeof rankPointSchema>;

/**
 * A metric value on the contract: a finite number, or the string 'Infinity' /
 * '-Infinity'. The registry stores ±Infinity exactly (an overflowing grad_norm is
 * a fact worth keeping), but JSON has no infinities (JSON.stringify writes null,
 * losing the sign) and z.number() refuses them; the strings survive both
 * bindings. NaN is never stored. Charts turn a value back with metricNumber().
 */
export const metricValueSchema = z.union([z.number(), z.enum(['Infinity', '-Infinity'])]);
export type MetricValue = z.infer<typeof metricValueSchema>;

export const toMetricValue = (v: number): MetricValue => (Number.isFinite(v) ? v : v > 0 ? 'Infinity' : '-Infinity');
export const metricNumber = (v: MetricValue): number => (typeof v === 'number' ? v : Number(v));

export const metricPointSchema = z.object({
  step: z.number().int().min(0),
  name: z.string(),
  value: metricValueSchema,
  wallTime: z.number(),
});
export type MetricPoint = z.infer<typeof metricPointSchema>;
/** A point as the engine writes it and the registry stores it: ±Infinity as numbers. */
export type RecordedMetricPoint = Omit<MetricPoint, 'value'> & { value: number };
/** The contract's form of a recorded point. */
export const toContractPoint = ({ step, name, value, wallTime }: RecordedMetricPoint): MetricPoint => ({
  step,
  name,
  value: toMetricValue(value),
  wallTime,
});

export const BACKENDS = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export const backendNameSchema = z.enum(BACKENDS);
export type BackendName = z.infer<typeof backendNameSchema>;

/** The WebGPU adapter the webgpu backend runs on (GPUAdapterInfo, Dawn's native backend, the limits that bound a model). */
export const webGpuAdapterSchema = z.object({
  /** The native API Dawn drives: vulkan, metal, d3d12, opengl, …. */
  dawnBackend: z.string(),
  featureLevel: z.enum(['core', 'compatibility']),
  vendor: z.string(),
  architecture: z.string(),
  device: z.string(),
  description: z.string(),
  /** Dawn's own adapter name, e.g. 'llvmpipe (LLVM 15.0.6, 256 bits)'. */
  name: z.string().nullable(),
  isFallbackAdapter: z.boolean(),
  /** A CPU emulation of a GPU (llvmpipe, lavapipe, SwiftShader, WARP). */
  software: z.boolean(),
  limits: z.object({
    maxBufferSize: z.number(),
    maxStorageBufferBindingSize: z.number(),
    maxStorageBuffersPerShaderStage: z.number().int(),
  }),
});
export type WebGpuAdapter = z.infer<typeof webGpuAdapterSchema>;

export const doctorReportSchema = z.object({
  backend: backendNameSchema,
  tfjsVersion: z.string(),
  gpu: z.object({
    /** A GPU does the work: tfjs-node-gpu, or webgpu on a hardware adapter (llvmpipe and the like are not one). */
    available: z.boolean(),
    package: z.string().nullable(),
  }),
  /** Every backend tried before the one in use, and why it was not used. */
  fallbacks: z.array(z.object({ backend: backendNameSchema, package: z.string().nullable(), reason: z.string() })),
  /** The adapter when the backend is webgpu; null otherwise. */
  webgpu: webGpuAdapterSchema.nullable(),
  cpus: z.number().int(),
  memoryBytes: z.number(),
  registryPath: z.string(),
  node: z.string(),
  platform: z.string(),
});
export type DoctorReport = z.infer<typeof doctorReportSchema>;
