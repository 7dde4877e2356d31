// How a method's config section reads as PEFT's config class and back: the keyword
// arguments of peft.LoraConfig / peft.AdaLoraConfig (peft/tuners/lora/config.py,
// peft/tuners/adalora/config.py) that an exported Hugging Face job passes, and the
// run-config sections an imported adapter_config.json stands for. Pure data, so the
// cluster export and import ask the method's descriptor instead of its name.
import { adaloraSchema } from './adalora';
import { loraSchema, type LoraConfig } from './lora';
import type { ConfigIssue } from './methods';
import type { RunConfig } from './run-config';

/** A JSON value as it goes into a Python keyword argument. */
export type PeftValue = string | number | boolean | null | readonly string[];

export interface PeftMapping {
  /** PEFT's config class for this method. */
  configClass: 'LoraConfig' | 'AdaLoraConfig';
  /** The method's own keyword arguments (the shared ones are in peftCommonKwargs), and what PEFT cannot express. */
  kwargs(config: RunConfig): { kwargs: Record<string, PeftValue>; refusals: ConfigIssue[] };
  /** The run-config sections an adapter_config.json of this method stands for; `num` reads a numeric field or its default. */
  sections(num: (key: string, fallback: number) => number, lora: LoraConfig): Record<string, unknown>;
}

const LORA_DEFAULTS = loraSchema.parse({});
const ADALORA_DEFAULTS = adaloraSchema.parse({});

/** LoraConfig's fields every adapter method shares (AdaLoraConfig extends LoraConfig). */
export function peftCommonKwargs(config: RunConfig): Record<string, PeftValue> {
  const lora = config.lora ?? LORA_DEFAULTS;
  return {
    lora_alpha: lora.alpha,
    lora_dropout: lora.dropout,
    target_modules: lora.targets === null ? null : typeof lora.targets === 'string' ? lora.targets : [...lora.targets],
    bias: 'none',
    task_type: 'CAUSAL_LM',
  };
}

export const LORA_PEFT: PeftMapping = {
  configClass: 'LoraConfig',
  kwargs(config) {
    const lora = config.lora ?? LORA_DEFAULTS;
    return { kwargs: { r: lora.r, use_rslora: lora.rslora }, refusals: [] };
  },
  sections: (_num, lora) => ({ lora }),
};

export const ADALORA_PEFT: PeftMapping = {
  configClass: 'AdaLoraConfig',
  kwargs(config) {
    const a = config.adalora ?? ADALORA_DEFAULTS;
    const refusals: ConfigIssue[] = [];
    if (a.orth_reg_weight <= 0) {
      refusals.push({ path: ['adalora', 'orth_reg_weight'], message: 'peft 0.15.2 raises "orth_reg_weight should be greater than 0" in AdaLoraModel.forward; use a positive weight' });
    }
    return {
      kwargs: {
        init_r: a.init_r,
        target_r: a.target_r,
        tinit: a.tinit,
        tfinal: a.tfinal,
        deltaT: a.delta_t,
        beta1: a.beta1,
        beta2: a.beta2,
        orth_reg_weight: a.orth_reg_weight,
        total_step: config.train.steps,
      },
      refusals,
    };
  },
  sections: (num, lora) => ({
    lora: { ...lora, rslora: false },
    adalora: {
      init_r: num('init_r', ADALORA_DEFAULTS.init_r),
      target_r: num('target_r', ADALORA_DEFAULTS.target_r),
      tinit: num('tinit', ADALORA_DEFAULTS.tinit),
      tfinal: num('tfinal', ADALORA_DEFAULTS.tfinal),
      delta_t: num('deltaT', ADALORA_DEFAULTS.delta_t),
      beta1: num('beta1', ADALORA_DEFAULTS.beta1),
      beta2: num('beta2', ADALORA_DEFAULTS.beta2),
      orth_reg_weight: num('orth_reg_weight', ADALORA_DEFAULTS.orth_reg_weight),
    },
  }),
};
