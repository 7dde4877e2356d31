// Adapter size before training: which modules a LoRA / QLoRA / AdaLoRA adapter wraps,
// how many parameters it adds, and the exact size of the adapter_model.safetensors
// PEFT would write for it. Pure arithmetic over tensor names and shapes (no dtype,
// no data), so it runs on safetensors headers or on shapes derived from a config.
//
// Counts follow PEFT (peft/tuners/lora/layer.py, peft/tuners/adalora/layer.py,
// peft_model.py get_nb_trainable_parameters, peft/utils/save_and_load.py):
//   LoRA/QLoRA per Linear or Conv1D: r·(in + out)   (lora_A [r,in], lora_B [out,r])
//   LoRA per Embedding:              r·(num + dim)  (lora_embedding_A [r,num], _B [dim,r])
//   AdaLoRA per Linear or Conv1D:    r·(in + out + 1) (lora_A [r,in], lora_B [out,r], lora_E [r,1])
// totalParams = base parameters (buffers excluded, tied weights counted once) + adapter.
//
// QLoRA counts the same parameters as LoRA: 4-bit storage changes bytes, not the
// count (memory.ts prices it). PEFT's print_trainable_parameters gets there by
// multiplying a Params4bit's packed numel by 2 (peft_model.py get_nb_trainable_parameters); older tools that
// skipped that step printed about half the base count, which is why users saw
// "wrong" QLoRA totals. We count logical parameters directly.
import { adaloraSchema } from '../config/adalora';
import { adaloraScaling, loraScaling, methodInfo } from '../config/methods';
import type { Method } from '../config/run-config';
import { safetensorsSize, type StDtype, type StEntry } from './safetensors-size';
import { selectTargetModules, TargetError, type TargetSpec } from './targets';

/** The methods that produce an adapter (full fine-tuning has no adapter to size). */
export type AdapterMethod = Exclude<Method, 'full'>;

const ADALORA_DEFAULTS = adaloraSchema.parse({});

/**
 * What a checkpoint tensor is. `linear` weights are [out, in] (torch nn.Linear);
 * `conv1d` weights are [in, out] (HF Conv1D, GPT-2); `embedding` is [num, dim];
 * `buffer` is saved state that is not a parameter (e.g. GPT-2's causal mask `attn.bias`).
 */
export type TensorKind = 'linear' | 'conv1d' | 'embedding' | 'norm' | 'bias' | 'buffer';

export interface BaseTensor {
  name: string;
  shape: readonly number[];
  kind: TensorKind;
}

export interface AdapterSizeInput {
  tensors: readonly BaseTensor[];
  method: AdapterMethod;
  /** LoRA's r; for AdaLoRA, init_r (the rank its layers are created with). */
  r: number;
  /** AdaLoRA only: target_r, the average rank per matrix after budgeting (default 8, at most r). */
  targetR?: number;
  alpha: number;
  rslora?: boolean;
  targets: TargetSpec;
  /** Checkpoint names of the output head(s), which all-linear leaves out (lm_head.weight when not given). */
  outputHeads?: readonly string[];
  /** Checkpoint tensor name → module path in the transformers model (GPT-2 hub files lack `transformer.`). */
  modulePath?: (tensorName: string) => string;
  /** [kept, alias] pairs of tied weights: when both are present the alias is counted once, as the kept one. */
  tied?: ReadonlyArray<readonly [string, string]>;
}

export interface AdapterModule {
  /** PEFT's module name (the path inside the transformers model). */
  module: string;
  /** The checkpoint tensor it wraps. */
  tensor: string;
  kind: TensorKind;
  shape: number[];
  in: number;
  out: number;
  rank: number;
  params: number;
}

export interface AdapterBytes {
  float32: number;
  float16: number;
  bfloat16: number;
  fileFloat32: number;
  fileFloat16: number;
  fileBfloat16: number;
}

export interface AdapterSize {
  method: AdapterMethod;
  rank: number;
  alpha: number;
  /** The factor on B·A in the forward pass: α/r, α/√r with rsLoRA, α/init_r for AdaLoRA. */
  scaling: number;
  baseParams: number;
  trainableParams: number;
  totalParams: number;
  trainablePercent: number;
  modules: AdapterModule[];
  adapterBytes: AdapterBytes;
  adalora?: { initR: number; targetR: number; initParams: number; targetParams: number; fileFloat32AtTarget: number };
}

export class AdapterSizeError extends Error {
  override readonly name = 'AdapterSizeError';
}

export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** in/out features of a 2-D weight by its kind's layout (Conv1D is transposed). */
export function inOutOf(kind: TensorKind, shape: readonly number[]): { in: number; out: number } {
  const [a = 0, b = 0] = shape;
  return kind === 'conv1d' || kind === 'embedding' ? { in: a, out: b } : { in: b, out: a };
}

/** Base parameters: buffers left out, each tied alias counted once with the weight it shares. */
export function baseParamCount(tensors: readonly BaseTensor[], tied: AdapterSizeInput['tied'] = []): number {
  const present = new Set(tensors.map((t) => t.name));
  const aliases = new Set(tied.filter(([kept, alias]) => present.has(kept) && present.has(alias)).map(([, alias]) => alias));
  return tensors.reduce((sum, t) => (t.kind === 'buffer' || aliases.has(t.name) ? sum : sum + numel(t.shape)), 0);
}

export function adapterSize(input: AdapterSizeInput): AdapterSize {
  const { method, r, alpha } = input;
  const info = methodInfo(method);
  positiveInt(r, info.budgetedRank ? 'init_r' : 'rank');
  if (!(alpha > 0 && Number.isFinite(alpha))) throw new AdapterSizeError(`alpha must be a positive number, got ${alpha}`);
  const targetR = info.budgetedRank ? (input.targetR ?? Math.min(ADALORA_DEFAULTS.target_r, r)) : r;
  if (info.budgetedRank) {
    positiveInt(targetR, 'target_r');
    if (targetR > r) throw new AdapterSizeError(`target_r (${targetR}) must not exceed init_r (${r})`);
  }

  const selected = selectModules(input);
  const perModule = (m: { kind: TensorKind; in: number; out: number }, rank: number) =>
    info.tensors(m.kind, rank, m.in, m.out).reduce((n, t) => n + numel(t.shape), 0);
  const modules = selected.map((m) => ({ ...m, rank: r, params: perModule(m, r) }));

  const baseParams = baseParamCount(input.tensors, input.tied);
  const trainableParams = modules.reduce((s, m) => s + m.params, 0);
  const totalParams = baseParams + trainableParams;
  const scaling = info.budgetedRank ? adaloraScaling(alpha, r) : loraScaling(alpha, r, input.rslora === true);

  const file = (dtype: StDtype, rank = r) => safetensorsSize(adapterEntries(method, modules, rank, dtype)).fileBytes;
  const result: AdapterSize = {
    method,
    rank: r,
    alpha,
    scaling,
    baseParams,
    trainableParams,
    totalParams,
    trainablePercent: totalParams === 0 ? 0 : (100 * trainableParams) / totalParams,
    modules,
    adapterBytes: {
      float32: trainableParams * 4,
      float16: trainableParams * 2,
      bfloat16: trainableParams * 2,
      fileFloat32: file('F32'),
      fileFloat16: file('F16'),
      fileBfloat16: file('BF16'),
    },
  };
  if (info.budgetedRank) {
    // The saved adapter is truncated to the kept triplets (peft/utils/save_and_load.py,
    // resize_state_dict_by_rank_pattern); at the end the budget is target_r per matrix on
    // average, so a uniform target_r is the estimate we can give.
    result.adalora = {
      initR: r,
      targetR,
      initParams: trainableParams,
      targetParams: modules.reduce((s, m) => s + perModule(m, targetR), 0),
      fileFloat32AtTarget: file('F32', targetR),
    };
  }
  return result;
}

/** The tensors PEFT saves for these modules, with their keys as in adapter_model.safetensors (the method's key naming). */
export function adapterEntries(method: AdapterMethod, modules: readonly Omit<AdapterModule, 'rank' | 'params'>[], r: number, dtype: StDtype): StEntry[] {
  const info = methodInfo(method);
  return modules.flatMap((m) =>
    info.tensors(m.kind, r, m.in, m.out).map((t) => ({ name: `base_model.model.${m.module}.${t.suffix}`, shape: t.shape, dtype })),
  );
}

/**
 * The modules that could carry an adapter, as the one target selector (targets.ts)
 * sees them: every `.weight` tensor by module path, plus an output head that a tied
 * checkpoint leaves out (it is a module of the model all the same, as PEFT sees it).
 */
export function targetCandidates(input: Pick<AdapterSizeInput, 'tensors' | 'modulePath' | 'tied' | 'outputHeads'>) {
  const path = input.modulePath ?? ((n: string) => n);
  const heads = new Set(input.outputHeads ?? ['lm_head.weight']);
  const present = new Map(input.tensors.map((t) => [t.name, t]));
  const weights = [...input.tensors];
  for (const [kept, alias] of input.tied ?? []) {
    const k = present.get(kept);
    if (k && !present.has(alias)) weights.push({ name: alias, shape: k.shape, kind: 'linear' });
  }
  return weights
    .filter((t) => t.name.endsWith('.weight'))
    .map((t) => ({
      module: path(t.name.slice(0, -'.weight'.length)),
      tensor: t.name,
      kind: t.kind,
      twoD: t.shape.length === 2,
      head: heads.has(t.name),
      shape: [...t.shape],
      ...inOutOf(t.kind, t.shape),
    }));
}

/**
 * The modules the targets select, in checkpoint order, through the one selector
 * training uses too (targets.ts selectTargetModules). Only 2-D Linear / Conv1D /
 * Embedding weights can be adapted, and only the kinds the method adapts.
 */
export function selectModules(
  input: Pick<AdapterSizeInput, 'tensors' | 'targets' | 'modulePath' | 'method' | 'tied' | 'outputHeads'>,
): Omit<AdapterModule, 'rank' | 'params'>[] {
  const info = methodInfo(input.method);
  const chosen = selectTargetModules(targetCandidates(input), input.targets);
  if (!info.adaptsEmbeddings) {
    const emb = chosen.find((m) => m.kind === 'embedding');
    if (emb) throw new TargetError(`target "${emb.module}" is an Embedding; ${info.label} adapts only Linear and Conv1D layers`);
  }
  return chosen.map(({ module, tensor, kind, shape, in: inF, out }) => ({ module, tensor, kind, shape, in: inF, out }));
}

function positiveInt(v: number, what: string): void {
  if (!Number.isInteger(v) || v <= 0) throw new AdapterSizeError(`${what} must be a positive integer, got ${v}`);
}
