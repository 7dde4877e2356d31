// Inspect (`loralab inspect`, the Inspect screen's inspect.run): how big an adapter will be before training: trainable and total parameters, the
// adapted modules, the exact adapter file size, and a training-memory estimate.
// A model folder is read through its safetensors HEADERS only (never tensor data),
// so a sharded 6B checkpoint answers in milliseconds; a preset derives its tensor
// shapes from a bundled config.json. Nothing on this path loads tfjs.
// For AdaLoRA, rank is init_r (the rank its layers start with) and targetRank is
// target_r. Targets are a list (PEFT's list rules), a regex string (PEFT's string
// rule: full match) or all-linear (every Linear/Conv1D but the output head).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loraSchema } from '../../shared/config/lora';
import { methodInfo } from '../../shared/config/methods';
import { dataSchema, trainSchema } from '../../shared/config/train';
import { adapterSize, numel, targetCandidates, type AdapterMethod, type AdapterSize, type BaseTensor } from '../../shared/math/adapter-size';
import { trainingMemory, type MemoryEstimate, type ModelDims } from '../../shared/math/memory';
import { ALL_LINEAR, expandAllLinear, type Targets } from '../../shared/math/targets';
import { openCheckpoint } from '../engine/io/safetensors/index';
import {
  architectureFor,
  findArchitecture,
  genericKindOf,
  knownModelTypes,
  ModelConfigError,
  type Architecture,
  type ModelSpec,
} from '../engine/models/index';
import { readModelConfigJson } from '../engine/models/config-json';
import { LoraLabError } from '../../shared/ipc/result';
import type { InspectRequest } from '../../shared/ipc/workbench-schemas';
import { resourcesDir } from './paths';
import { checkConfigAgainstWeights } from './config-vs-weights';

export interface InspectOptions {
  method?: AdapterMethod;
  /** LoRA r; AdaLoRA init_r. */
  rank?: number;
  /** AdaLoRA target_r. */
  targetRank?: number;
  alpha?: number;
  rslora?: boolean;
  /** A list (exact name or dotted suffix), a regex string, or null for PEFT's defaults. */
  targets?: Targets | 'all-linear' | null;
  batchSize?: number;
  seqLen?: number;
}

export interface InspectReport extends AdapterSize {
  targets: Targets;
  /** The model folder or preset id as given. */
  source: string;
  model: { kind: 'model-dir' | 'preset'; modelType: string | null; variant: string | null; hfId?: string; files: string[]; tensors: number };
  memory: MemoryEstimate & { compare: Record<'full' | 'lora' | 'qlora', number> };
}

interface Loaded {
  kind: 'model-dir' | 'preset';
  tensors: BaseTensor[];
  arch: Architecture | undefined;
  spec: ModelSpec | undefined;
  modelType: string | null;
  files: string[];
  dims: ModelDims | null;
  hfId?: string;
}

const LORA_DEFAULTS = loraSchema.parse({});

export function inspectModel(target: string, options: InspectOptions = {}): InspectReport {
  const loaded = isDirectory(target) ? loadModelDir(target) : loadPreset(target);
  const method = options.method ?? 'lora';
  const targets = resolveTargets(options.targets ?? null, method, loaded);
  const size = adapterSize({
    tensors: loaded.tensors,
    method,
    // The method's own rank field and default (lora.r, adalora.init_r); a budgeted target_r defaults to the schema's, at most the rank.
    r: options.rank ?? methodInfo(method).rank({})!,
    targetR: options.targetRank ?? (methodInfo(method).budgetedRank ? Math.min(methodInfo(method).targetRank({})!, options.rank ?? Infinity) : undefined),
    alpha: options.alpha ?? LORA_DEFAULTS.alpha,
    rslora: options.rslora ?? false,
    targets,
    modulePath: loaded.arch?.modulePath,
    tied: loaded.arch && loaded.spec ? loaded.arch.tiedWeights(loaded.spec) : [],
  });

  const batchSize = options.batchSize ?? trainSchema.parse({}).batch_size;
  const seqLen = options.seqLen ?? dataSchema.parse({ train: '-' }).max_seq_len;
  const quantizedParams = quantizedCount(loaded, size);
  const estimate = (m: 'full' | 'lora' | 'qlora' | 'adalora') =>
    trainingMemory({ method: m, baseParams: size.baseParams, adapterParams: size.trainableParams, quantizedParams, batchSize, seqLen, dims: loaded.dims });
  const memory = {
    ...estimate(method),
    compare: { full: estimate('full').totalBytes, lora: estimate('lora').totalBytes, qlora: estimate('qlora').totalBytes },
  };

  // docs/ARCHITECTURE.md's keys first, then what the report adds.
  return {
    trainableParams: size.trainableParams,
    totalParams: size.totalParams,
    trainablePercent: size.trainablePercent,
    baseParams: size.baseParams,
    adapterBytes: size.adapterBytes,
    modules: size.modules,
    memory,
    method,
    rank: size.rank,
    alpha: size.alpha,
    scaling: size.scaling,
    targets,
    source: target,
    model: {
      kind: loaded.kind,
      modelType: loaded.modelType,
      variant: loaded.spec?.variant ?? null,
      ...(loaded.hfId ? { hfId: loaded.hfId } : {}),
      files: loaded.files,
      tensors: loaded.tensors.length,
    },
    ...(size.adalora ? { adalora: size.adalora } : {}),
  };
}

// ---- loading shapes ------------------------------------------------------------

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function loadModelDir(dir: string): Loaded {
  const { file: configPath, raw: config } = readModelConfigJson(dir);
  const modelType = config.model_type;
  const arch = typeof modelType === 'string' ? findArchitecture(modelType) : undefined;
  // A known architecture's config must be valid; an unknown one still works from headers.
  const spec = arch?.parseConfig(config, configPath);
  const kindOf = arch?.kindOf ?? genericKindOf;

  // The same rule as loading (openCheckpoint: model.safetensors wins over an index, as in
  // transformers), reading headers only; no tensor data is touched.
  const checkpoint = openCheckpoint(dir);
  checkpoint.close();
  const files = checkpoint.files.map((file) => basename(file));
  const tensors: BaseTensor[] = [...checkpoint.tensors.values()].map((t) => ({ name: t.name, shape: t.shape, kind: kindOf(t.name, t.shape) }));
  if (arch && spec) checkConfigAgainstWeights(arch, spec, tensors, configPath);
  return {
    kind: 'model-dir',
    tensors,
    arch,
    spec,
    modelType: typeof modelType === 'string' ? modelType : null,
    files,
    dims: spec ? dimsOf(spec) : genericDims(config),
  };
}

function loadPreset(id: string): Loaded {
  const dir = join(resourcesDir(), 'presets');
  const file = join(dir, `${id}.json`);
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(id) || !existsSync(file)) {
    throw new LoraLabError('VALIDATION', `"${id}" is neither a model folder nor a preset (presets: ${presetIds().join(', ')})`);
  }
  const preset = readPresetFile(file);
  const arch = architectureFor(preset.config, `${file} (config)`);
  const spec = arch.parseConfig(preset.config, `${file} (config)`);
  return {
    kind: 'preset',
    tensors: arch.tensorShapes(spec),
    arch,
    spec,
    modelType: spec.modelType,
    files: [],
    dims: dimsOf(spec),
    ...(typeof preset.hfId === 'string' ? { hfId: preset.hfId } : {}),
  };
}

function readPresetFile(file: string): { hfId?: unknown; config?: unknown } {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { hfId?: unknown; config?: unknown };
  } catch (err) {
    throw new ModelConfigError(`${file}: not a readable preset (${(err as Error).message})`);
  }
}

export function presetIds(): string[] {
  const dir = join(resourcesDir(), 'presets');
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .sort();
  } catch {
    return [];
  }
}

const dimsOf = (s: ModelSpec): ModelDims => ({
  hidden: s.hidden,
  layers: s.layers,
  heads: s.heads,
  vocab: s.vocab,
  intermediate: s.intermediate,
  gatedMlp: s.gatedMlp,
});

/** Dims from the common config.json keys, for architectures without a file here. */
function genericDims(config: unknown): ModelDims | null {
  const c = (config ?? {}) as Record<string, unknown>;
  const pick = (...keys: string[]) => keys.map((k) => c[k]).find((v): v is number => typeof v === 'number' && v > 0);
  const hidden = pick('hidden_size', 'n_embd', 'd_model');
  const layers = pick('num_hidden_layers', 'num_layers', 'n_layer');
  const heads = pick('num_attention_heads', 'n_head');
  const vocab = pick('vocab_size', 'padded_vocab_size');
  const intermediate = pick('intermediate_size', 'ffn_hidden_size', 'n_inner') ?? (hidden ? 4 * hidden : undefined);
  return hidden && layers && heads && vocab && intermediate ? { hidden, layers, heads, vocab, intermediate } : null;
}

// ---- targets -------------------------------------------------------------------

function resolveTargets(targets: Targets | 'all-linear' | null, method: AdapterMethod, loaded: Loaded): Targets {
  if (targets === ALL_LINEAR) {
    // PEFT's shorthand, expanded by the one target selector training uses too.
    return expandAllLinear(
      targetCandidates({ tensors: loaded.tensors, modulePath: loaded.arch?.modulePath, tied: loaded.arch && loaded.spec ? loaded.arch.tiedWeights(loaded.spec) : [], outputHeads: loaded.arch?.outputHeads }),
    );
  }
  if (targets !== null) return targets;
  const type = loaded.modelType ?? '(none)';
  if (!loaded.arch) {
    throw new LoraLabError('VALIDATION', `model_type "${type}" has no default targets (known: ${knownModelTypes().join(', ')}); pass --targets`);
  }
  const info = methodInfo(method);
  const defaults = loaded.arch.defaultTargets[info.defaultTargets];
  if (!defaults) {
    throw new LoraLabError(
      'VALIDATION',
      `PEFT has no default ${info.label} targets for model_type "${type}"; pass --targets (its LoRA default is ${loaded.arch.defaultTargets.lora.join(',')})`,
    );
  }
  return defaults;
}

/** QLoRA stores the blocks' Linear/Conv1D weights in 4 bits; embeddings, the output head and norms stay wide (QLoRA paper §4; transformers' bitsandbytes integration keeps lm_head in full precision). */
function quantizedCount(loaded: Loaded, size: AdapterSize): number {
  const heads = new Set(loaded.arch?.outputHeads ?? ['lm_head.weight']);
  const q = loaded.tensors
    .filter((t) => (t.kind === 'linear' || t.kind === 'conv1d') && t.shape.length === 2 && !heads.has(t.name))
    .reduce((s, t) => s + numel(t.shape), 0);
  return Math.min(q, size.baseParams);
}

/** The contract's inspect.run request → inspectModel. Targets: a list, "all-linear", "/regex/" or a bare regex. */
export function inspectFromRequest(req: InspectRequest): InspectReport {
  const t = req.targets;
  const targets = t === null || Array.isArray(t) || t === 'all-linear' ? t : /^\/.+\/$/.test(t) ? t.slice(1, -1) : t;
  return inspectModel(req.model, {
    method: req.method,
    rank: req.rank,
    alpha: req.alpha,
    targets,
    targetRank: req.targetRank,
    rslora: req.rslora,
    batchSize: req.batchSize,
    seqLen: req.seqLen,
  });
}
