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
import { safetensorsSize, type StDtype, type StEntry } from './safetensors-size';
import { closeNames, leafName, targetMatcher, TargetError, type Targets } from './targets';

export type AdapterMethod = 'lora' | 'qlora' | 'adalora';

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
  targets: Targets;
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

const ADAPTABLE: ReadonlySet<TensorKind> = new Set(['linear', 'conv1d', 'embedding']);

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
  positiveInt(r, method === 'adalora' ? 'init_r' : 'rank');
  if (!(alpha > 0 && Number.isFinite(alpha))) throw new AdapterSizeError(`alpha must be a positive number, got ${alpha}`);
  const targetR = method === 'adalora' ? (input.targetR ?? Math.min(8, r)) : r;
  if (method === 'adalora') {
    positiveInt(targetR, 'target_r');
    if (targetR > r) throw new AdapterSizeError(`target_r (${targetR}) must not exceed init_r (${r})`);
  }

  const selected = selectModules(input);
  const perModule = (m: { in: number; out: number }, rank: number) => rank * (m.in + m.out + (method === 'adalora' ? 1 : 0));
  const modules = selected.map((m) => ({ ...m, rank: r, params: perModule(m, r) }));

  const baseParams = baseParamCount(input.tensors, input.tied);
  const trainableParams = modules.reduce((s, m) => s + m.params, 0);
  const totalParams = baseParams + trainableParams;
  const scaling = method === 'adalora' ? alpha / r : input.rslora ? alpha / Math.sqrt(r) : alpha / r;

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
  if (method === 'adalora') {
    // The saved adapter is truncated to the kept triplets (peft/utils/save_and_load.py, AdaLoRA rank_pattern); at the end the budget is
    // target_r per matrix on average, so a uniform target_r is the estimate we can give.
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

/** The tensors PEFT saves for these modules, with their keys as in adapter_model.safetensors (peft/utils/save_and_load.py get_peft_model_state_dict). */
export function adapterEntries(method: AdapterMethod, modules: readonly Omit<AdapterModule, 'rank' | 'params'>[], r: number, dtype: StDtype): StEntry[] {
  const entries: StEntry[] = [];
  for (const m of modules) {
    const key = `base_model.model.${m.module}`;
    if (method === 'adalora') {
      entries.push({ name: `${key}.lora_A`, shape: [r, m.in], dtype });
      entries.push({ name: `${key}.lora_B`, shape: [m.out, r], dtype });
      entries.push({ name: `${key}.lora_E`, shape: [r, 1], dtype });
    } else if (m.kind === 'embedding') {
      entries.push({ name: `${key}.lora_embedding_A`, shape: [r, m.in], dtype });
      entries.push({ name: `${key}.lora_embedding_B`, shape: [m.out, r], dtype });
    } else {
      entries.push({ name: `${key}.lora_A.weight`, shape: [r, m.in], dtype });
      entries.push({ name: `${key}.lora_B.weight`, shape: [m.out, r], dtype });
    }
  }
  return entries;
}

/**
 * The modules the targets select, in checkpoint order. Every list entry must select
 * something (PEFT only complains when nothing at all matches; naming the dead entry
 * is kinder), and only 2-D Linear / Conv1D / Embedding weights can be adapted.
 */
export function selectModules(input: Pick<AdapterSizeInput, 'tensors' | 'targets' | 'modulePath' | 'method'>): Omit<AdapterModule, 'rank' | 'params'>[] {
  const path = input.modulePath ?? ((n: string) => n);
  const adaptable: Omit<AdapterModule, 'rank' | 'params'>[] = [];
  const others = new Map<string, TensorKind>(); // modules whose weight cannot carry an adapter
  for (const t of input.tensors) {
    if (!t.name.endsWith('.weight')) continue;
    const module = path(t.name.slice(0, -'.weight'.length));
    if (ADAPTABLE.has(t.kind) && t.shape.length === 2) {
      adaptable.push({ module, tensor: t.name, kind: t.kind, shape: [...t.shape], ...inOutOf(t.kind, t.shape) });
    } else others.set(module, t.kind);
  }

  const { targets } = input;
  const chosen = adaptable.filter((m) => targetMatcher(targets)(m.module));
  const entries = typeof targets === 'string' ? [targets] : targets;
  if (entries.length === 0) throw new TargetError('targets: the list is empty; name at least one module');
  for (const entry of entries) {
    const match = typeof targets === 'string' ? () => true : targetMatcher([entry]);
    if (!chosen.some((m) => match(m.module))) throw unmatched(entry, typeof targets === 'string', adaptable, others);
  }
  if (input.method === 'adalora') {
    const emb = chosen.find((m) => m.kind === 'embedding');
    if (emb) throw new TargetError(`target "${emb.module}" is an Embedding; AdaLoRA adapts only Linear and Conv1D layers`);
  }
  return chosen;
}

function unmatched(entry: string, isRegex: boolean, adaptable: readonly { module: string }[], others: Map<string, TensorKind>): TargetError {
  const leaves = [...new Set(adaptable.map((m) => leafName(m.module)))];
  const matcher = targetMatcher(isRegex ? entry : [entry]);
  const wrongKind = [...others].find(([module]) => matcher(module));
  if (wrongKind) {
    return new TargetError(
      `target "${entry}" matches ${wrongKind[0]}, a ${wrongKind[1]} without a 2-D weight; ` +
        `only Linear, Conv1D and Embedding weights can be targets (available: ${leaves.join(', ')})`,
    );
  }
  const close = closeNames(isRegex ? entry.replace(/[^A-Za-z0-9_.]/g, '') : leafName(entry), leaves);
  const hint = close.length > 0 ? `; did you mean ${close.join(' or ')}?` : '';
  return new TargetError(
    `target ${isRegex ? `regex /${entry}/` : `"${entry}"`} matches no module${hint} (available: ${leaves.join(', ')})`,
  );
}

function positiveInt(v: number, what: string): void {
  if (!Number.isInteger(v) || v <= 0) throw new AdapterSizeError(`${what} must be a positive integer, got ${v}`);
}
