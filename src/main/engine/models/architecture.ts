// What every model architecture provides, so that an architecture is one small
// file plus one entry in index.ts: config.json parsing with Hugging Face's
// defaults, the checkpoint's tensor names and shapes, PEFT's default targets and
// the weight layout (Linear [out,in] vs Conv1D [in,out]). No tfjs here: the
// inspector loads these files and must stay fast. The forward pass (`build`)
// is added per architecture by the engine, lazily importing tfjs inside it.
import { z } from 'zod';
import { inOutOf, type TensorKind } from '../../../shared/math/adapter-size';
import type { Tf } from '../backend';
import type { DecoderModel } from './decoder/decoder';
import type { TensorSource } from './decoder/load';

export type { TensorKind };

export interface TensorShape {
  /** Exactly as Hugging Face names it in model.safetensors. */
  name: string;
  shape: number[];
  kind: TensorKind;
}

/** The normalized config every architecture returns; architectures add their own fields. */
export interface ModelSpec {
  /** config.json's model_type. */
  modelType: string;
  /** Which layout inside the architecture, e.g. "chatglm" (6B v1) vs "chatglm2" (v2/v3). */
  variant: string;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  /** The MLP's inner width (per branch for gated MLPs). */
  intermediate: number;
  gatedMlp: boolean;
  vocab: number;
  maxPositions: number;
  tieWordEmbeddings: boolean;
  normEps: number;
}

export interface Architecture<S extends ModelSpec = ModelSpec> {
  readonly name: string;
  readonly modelTypes: readonly string[];
  /** PEFT's TRANSFORMERS_MODELS_TO_{LORA,ADALORA}_TARGET_MODULES_MAPPING (peft/tuners/tuners_utils.py check_target_module_exists, peft/utils/constants.py); null = no entry. */
  readonly defaultTargets: { lora: string[]; adalora: string[] | null };
  /** Checkpoint names of the output projection (lm_head): never 4-bit in QLoRA (QLoRA paper §4; transformers' bitsandbytes integration keeps lm_head in full precision). */
  readonly outputHeads: readonly string[];
  /** Validates the fields this architecture needs and applies Hugging Face's defaults. */
  parseConfig(json: unknown, source: string): S;
  /** Every tensor of the checkpoint; a tied lm_head is left out, as HF savers drop it. */
  tensorShapes(spec: S): TensorShape[];
  /** Classifies a checkpoint tensor by name and shape (used for tensors read from headers). */
  kindOf(name: string, shape: readonly number[]): TensorKind;
  /** in/out features of a 2-D weight by this architecture's layout. */
  linearInOut(name: string, shape: readonly number[]): { in: number; out: number };
  /** Checkpoint tensor name → module path in the transformers model (what PEFT's keys use). */
  modulePath(tensorName: string): string;
  /** [kept, alias] pairs that share storage when the spec ties them. */
  tiedWeights(spec: S): [string, string][];
  /**
   * The forward pass, for architectures that have one here. All tfjs work goes
   * through `tf`, so loading this file never loads tfjs.
   */
  build?(tf: Tf, spec: S, src: TensorSource): DecoderModel;
}

/** config.json field types with messages that say what was expected. */
export const posInt = z.number('expected a positive integer').int('expected a positive integer').positive('expected a positive integer');
export const posNum = z.number('expected a positive number').positive('expected a positive number');
export const bool = z.boolean('expected true or false');

export class ModelConfigError extends Error {
  override readonly name = 'ModelConfigError';
}

/** Parses `json` with `schema`; every failing key is named with what was expected and what was found. */
export function parseConfigWith<T>(schema: z.ZodType<T>, json: unknown, source: string, what: string): T {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ModelConfigError(`${source}: expected a JSON object (a Hugging Face config.json), got ${describe(json)}`);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const got = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), json);
    return `  key "${issue.path.join('.')}": ${issue.message}, got ${describe(got)}`;
  });
  return configError(source, what, lines);
}

export function configError(source: string, what: string, lines: string[]): never {
  throw new ModelConfigError(`${source}: invalid ${what} config\n${lines.join('\n')}`);
}

export const describe = (v: unknown): string => (v === undefined ? 'nothing (the key is missing)' : JSON.stringify(v));

/**
 * A name-and-shape guess for checkpoints of architectures without a file here:
 * enough to count parameters and to adapt Linear weights named by --targets.
 */
export function genericKindOf(name: string, shape: readonly number[]): TensorKind {
  if (/\.(inv_freq|masked_bias|[a-z]+_cached)$/.test(name) || (/\.attn\.bias$/.test(name) && shape.length === 4)) return 'buffer';
  if (shape.length < 2) return /norm|(^|\.)ln(_\w+)?\./.test(name) || !name.endsWith('.bias') ? 'norm' : 'bias';
  if (/embed|(^|\.)(wte|wpe)\./.test(name)) return 'embedding';
  return 'linear';
}

/** linearInOut from a kindOf: the one place the Conv1D transpose is decided. */
export function inOutFor(kindOf: (n: string, s: readonly number[]) => TensorKind, name: string, shape: readonly number[]): { in: number; out: number } {
  if (shape.length !== 2) throw new RangeError(`${name}: a 2-D weight was expected, got shape [${shape.join(', ')}]`);
  return inOutOf(kindOf(name, shape), shape);
}

/** Checks an integer relation between config keys, naming the key that breaks it. */
export function requireDivisible(source: string, what: string, key: string, a: number, b: number, why: string): void {
  if (a % b !== 0) configError(source, what, [`  key "${key}": ${why} (${a} is not divisible by ${b})`]);
}
