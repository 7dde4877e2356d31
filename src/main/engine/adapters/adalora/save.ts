// Writes AdaLoRA layers as PEFT saves an AdaLoRA adapter (peft/utils/save_and_load.py
// get_peft_model_state_dict → AdaLoraModel.resize_state_dict_by_rank_pattern):
// lora_A [k, in], lora_E [k, 1] and lora_B [out, k] cut to the k kept triplets of each
// module's rank_pattern, no `.weight` suffix, and adapter_config.json with
// AdaLoraConfig's fields, rank_pattern keyed "<module>.lora_E" (the adapter name
// stripped, as PEFT writes it) with one boolean per initial triplet.
import { join } from 'node:path';
import type { AdaloraConfig } from '../../../../shared/config/adalora';
import { writeSafetensors, type TensorToWrite } from '../../io/safetensors/index';
import { writeJsonFile } from '../../io/json-file';
import { loraAdapterConfig, type LoraAdapterMeta } from '../lora/save';
import { ADAPTER_CONFIG, ADAPTER_WEIGHTS, KEY_PREFIX } from '../peft-files';
import type { RankPattern } from './allocator';
import type { AdaloraLayer } from './layer';

export interface AdaloraAdapterMeta extends Omit<LoraAdapterMeta, 'r' | 'rslora' | 'rankPattern'> {
  adalora: AdaloraConfig;
  totalSteps: number;
  /** PEFT's LoraConfig.r, which AdaLoRA ignores (init_r sets the rank); saved at its default. */
  r: number;
}

export const rankPatternKey = (module: string): string => `${module}.lora_E`;

export function adaloraAdapterConfig(meta: AdaloraAdapterMeta, pattern: RankPattern | null): Record<string, unknown> {
  const a = meta.adalora;
  return {
    ...loraAdapterConfig({ ...meta, rslora: false }),
    peft_type: 'ADALORA',
    beta1: a.beta1,
    beta2: a.beta2,
    deltaT: a.delta_t,
    init_r: a.init_r,
    orth_reg_weight: a.orth_reg_weight,
    rank_pattern: pattern ? Object.fromEntries([...pattern].map(([m, keep]) => [rankPatternKey(m), keep])) : null,
    target_r: a.target_r,
    tfinal: a.tfinal,
    tinit: a.tinit,
    total_step: meta.totalSteps,
  };
}

/**
 * The kept rows of A [r, in] (from aT [in, r]), entries of E and columns of B [out, r] (from bT [r, out]).
 * Read with data(), which every backend (webgpu too) answers.
 */
export async function adaloraTensors(layers: readonly AdaloraLayer[], pattern: RankPattern | null): Promise<TensorToWrite[]> {
  const values = await Promise.all(layers.map((l) => Promise.all([l.aT.data(), l.bT.data(), l.e.data()])));
  return layers.flatMap((l, li) => {
    const [inF, r] = l.aT.shape as [number, number];
    const out = l.bT.shape[1]!;
    const keep = pattern?.get(l.module) ?? new Array<boolean>(r).fill(true);
    const kept = keep.flatMap((k, i) => (k ? [i] : []));
    const [aT, bT, e] = values[li]! as [Float32Array, Float32Array, Float32Array];
    const k = kept.length;
    const a = new Float32Array(k * inF);
    const b = new Float32Array(out * k);
    kept.forEach((src, dst) => {
      for (let j = 0; j < inF; j++) a[dst * inF + j] = aT[j * r + src]!;
      for (let o = 0; o < out; o++) b[o * k + dst] = bT[src * out + o]!;
    });
    const key = `${KEY_PREFIX}${l.module}`;
    return [
      { name: `${key}.lora_A`, dtype: 'F32', shape: [k, inF], data: a },
      { name: `${key}.lora_B`, dtype: 'F32', shape: [out, k], data: b },
      { name: `${key}.lora_E`, dtype: 'F32', shape: [k, 1], data: Float32Array.from(kept, (i) => e[i]!) },
    ] satisfies TensorToWrite[];
  });
}

export async function saveAdaloraAdapter(dir: string, layers: readonly AdaloraLayer[], pattern: RankPattern | null, meta: AdaloraAdapterMeta): Promise<void> {
  writeSafetensors(join(dir, ADAPTER_WEIGHTS), await adaloraTensors(layers, pattern));
  writeJsonFile(join(dir, ADAPTER_CONFIG), adaloraAdapterConfig(meta, pattern));
}
