// What each training method is, as far as pure code can know it: which config
// sections it reads, which PEFT type its adapter has, the tensors PEFT saves for
// one adapted module (the key naming inspect's size arithmetic and the engine's
// save/load share), its scaling, and the config combinations it cannot run.
// The engine's method folders (src/main/engine/adapters/<method>/) each register
// one AdapterMethod built on the descriptor here; the inspector and the renderer,
// which must not load the engine, read these descriptors directly.
import { adaloraSchema } from './adalora';
import { loraSchema } from './lora';
import { ADALORA_PEFT, LORA_PEFT, type PeftMapping } from './peft-mapping';
import type { Method, RunConfig } from './run-config';

/** A config problem at a path, e.g. ['adalora', 'tinit']. */
export interface ConfigIssue {
  path: (string | number)[];
  message: string;
}

/** The optional config sections that belong to one method or another. */
export const METHOD_SECTIONS = ['lora', 'adalora', 'quant'] as const;
export type MethodSection = (typeof METHOD_SECTIONS)[number];

/** One tensor PEFT saves per adapted module: `base_model.model.<module>.<suffix>`. */
export interface AdapterTensorSpec {
  suffix: string;
  shape: [number, number];
}

export interface MethodInfo {
  name: Method;
  /** How messages name it. */
  label: string;
  /** The adapter folder's peft_type, or null when the method trains the model's own weights. */
  peftType: 'LORA' | 'ADALORA' | null;
  /** Config sections this method reads; any other method section is a config error. */
  sections: readonly MethodSection[];
  /** Which of PEFT's default-target tables applies (TRANSFORMERS_MODELS_TO_{LORA,ADALORA}_TARGET_MODULES_MAPPING). */
  defaultTargets: 'lora' | 'adalora';
  /** Whether Embedding layers can carry this method's adapter (PEFT's LoRA Embedding; AdaLoRA has none). */
  adaptsEmbeddings: boolean;
  /** The frozen base is stored 4-bit (QLoRA): it changes memory, not the parameter count. */
  quantizedBase: boolean;
  /** The rank is budgeted during training (AdaLoRA: init_r down to target_r on average). */
  budgetedRank: boolean;
  /** What a run of this method produces: a PEFT adapter folder, or a whole model folder. */
  result: 'adapter' | 'model';
  /** The config path of the rank (r for LoRA, init_r for AdaLoRA), or null when there is none. */
  rankPath: readonly [MethodSection, string] | null;
  /** The rank a config trains with, the schema's default when the section is left out (null for full). */
  rank(config: Partial<Record<MethodSection, unknown>>): number | null;
  /** The budgeted average rank (AdaLoRA's target_r), else null. */
  targetRank(config: Partial<Record<MethodSection, unknown>>): number | null;
  /** PEFT's saved tensors for one module of `kind` at rank r, in/out features as the layer sees them. */
  tensors(kind: string, r: number, inF: number, outF: number): AdapterTensorSpec[];
  /** Problems with combinations this method cannot run, beyond the schema's field checks. */
  check(config: RunConfig): ConfigIssue[];
  /** PEFT's config class for it, both ways (cluster export and import); null when it trains the model's own weights. */
  peft: PeftMapping | null;
}

/** PEFT LoRA's scaling: lora_alpha / r, or lora_alpha / √r with rsLoRA (peft/tuners/lora/layer.py update_layer). */
export function loraScaling(alpha: number, r: number, rslora: boolean): number {
  return rslora ? alpha / Math.sqrt(r) : alpha / r;
}

/**
 * PEFT AdaLoRA's scaling: lora_alpha (or r when alpha is 0) over ranknum + 1e-5, where
 * ranknum stays init_r after pruning (peft/tuners/adalora/layer.py update_layer and forward).
 */
export function adaloraScaling(alpha: number, ranknum: number): number {
  return (alpha > 0 ? alpha : ranknum) / (ranknum + 1e-5);
}

function loraTensors(kind: string, r: number, inF: number, outF: number): AdapterTensorSpec[] {
  // peft/tuners/lora/layer.py: Linear/Conv1D hold nn.Linear lora_A/lora_B (hence `.weight`);
  // Embedding holds bare parameters lora_embedding_A [r, num] and lora_embedding_B [dim, r].
  if (kind === 'embedding') {
    return [
      { suffix: 'lora_embedding_A', shape: [r, inF] },
      { suffix: 'lora_embedding_B', shape: [outF, r] },
    ];
  }
  return [
    { suffix: 'lora_A.weight', shape: [r, inF] },
    { suffix: 'lora_B.weight', shape: [outF, r] },
  ];
}

/** A section's field with the schema's defaults applied (a stored config may predate a field). */
const loraField = (config: Partial<Record<MethodSection, unknown>>): number | null => loraSchema.safeParse(config.lora ?? {}).data?.r ?? null;
const adaloraFields = (config: Partial<Record<MethodSection, unknown>>) => adaloraSchema.safeParse(config.adalora ?? {}).data ?? null;

const issue = (path: ConfigIssue['path'], message: string): ConfigIssue => ({ path, message });

const LORA: MethodInfo = {
  name: 'lora',
  label: 'LoRA',
  peftType: 'LORA',
  sections: ['lora'],
  defaultTargets: 'lora',
  adaptsEmbeddings: true,
  quantizedBase: false,
  budgetedRank: false,
  result: 'adapter',
  rankPath: ['lora', 'r'],
  rank: loraField,
  targetRank: () => null,
  tensors: loraTensors,
  check: () => [],
  peft: LORA_PEFT,
};

const QLORA: MethodInfo = { ...LORA, name: 'qlora', label: 'QLoRA', sections: ['lora', 'quant'], quantizedBase: true };

const ADALORA: MethodInfo = {
  name: 'adalora',
  label: 'AdaLoRA',
  peftType: 'ADALORA',
  sections: ['lora', 'adalora'],
  defaultTargets: 'adalora',
  adaptsEmbeddings: false,
  quantizedBase: false,
  budgetedRank: true,
  result: 'adapter',
  rankPath: ['adalora', 'init_r'],
  peft: ADALORA_PEFT,
  rank: (config) => adaloraFields(config)?.init_r ?? null,
  targetRank: (config) => adaloraFields(config)?.target_r ?? null,
  // peft/tuners/adalora/layer.py: bare parameters, no `.weight` suffix.
  tensors: (_kind, r, inF, outF) => [
    { suffix: 'lora_A', shape: [r, inF] },
    { suffix: 'lora_B', shape: [outF, r] },
    { suffix: 'lora_E', shape: [r, 1] },
  ],
  check(config) {
    const out: ConfigIssue[] = [];
    if (config.lora?.rslora) out.push(issue(['lora', 'rslora'], 'AdaLoRA scales by lora_alpha / init_r; rsLoRA does not apply to it (remove rslora or use method: lora)'));
    const a = config.adalora ?? ADALORA_DEFAULTS_FOR_CHECK;
    const total = config.train.steps;
    // peft/tuners/adalora/config.py __post_init__: tinit must leave a budgeting phase before total_step − tfinal.
    if (a.tinit >= total - a.tfinal) {
      out.push(
        issue(
          ['adalora', 'tinit'],
          `tinit (${a.tinit}) must be less than train.steps − tfinal (${total} − ${a.tfinal} = ${total - a.tfinal}) so there is a budgeting phase; lower tinit or tfinal, or raise train.steps`,
        ),
      );
    }
    return out;
  },
};

const FULL: MethodInfo = {
  name: 'full',
  label: 'full fine-tuning',
  peftType: null,
  sections: [],
  defaultTargets: 'lora',
  adaptsEmbeddings: false,
  quantizedBase: false,
  budgetedRank: false,
  result: 'model',
  rankPath: null,
  rank: () => null,
  targetRank: () => null,
  tensors: () => [],
  peft: null,
  check(config) {
    return config.init_from === null
      ? []
      : [issue(['init_from'], 'init_from continues an adapter; for method full, point model at the earlier model folder instead')];
  },
};

/** The schedule the check applies when the adalora section is left out: the schema's defaults. */
const ADALORA_DEFAULTS_FOR_CHECK = adaloraSchema.parse({});

export const METHOD_INFO: Readonly<Record<Method, MethodInfo>> = { lora: LORA, qlora: QLORA, adalora: ADALORA, full: FULL };

export const methodInfo = (method: Method): MethodInfo => METHOD_INFO[method];

/** The methods that produce an adapter (those inspect can size). */
export const ADAPTER_METHODS = Object.values(METHOD_INFO).filter((m) => m.result === 'adapter').map((m) => m.name);

/** The method descriptor whose adapters have this peft_type (LoRA for LORA: a QLoRA adapter is a LoRA adapter). */
export function methodForPeftType(peftType: string): MethodInfo | undefined {
  return Object.values(METHOD_INFO).find((m) => m.peftType === peftType);
}

/**
 * Every cross-field problem of a schema-valid config: a method section that does not
 * belong to `method`, then the method's own combination checks.
 */
export function checkMethodConfig(config: RunConfig): ConfigIssue[] {
  const info = methodInfo(config.method);
  const out: ConfigIssue[] = [];
  for (const section of METHOD_SECTIONS) {
    if (config[section] === undefined || info.sections.includes(section)) continue;
    const owners = Object.values(METHOD_INFO).filter((m) => m.sections.includes(section)).map((m) => m.name);
    out.push(
      issue(
        [section],
        `the "${section}" section applies to method ${owners.join(' or ')}, but this config's method is ${config.method}` +
          ` (remove the section, or set method: ${owners[0]})`,
      ),
    );
  }
  return [...out, ...info.check(config)];
}
