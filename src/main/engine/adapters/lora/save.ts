// Writes LoRA layers as a PEFT adapter folder (peft/utils/save_and_load.py): adapter_config.json
// with PEFT's field set (sorted, indent 2, inference_mode true) and
// adapter_model.safetensors with keys base_model.model.<module>.lora_A.weight
// [r, in] and lora_B.weight [out, r] in float32, metadata {"format":"pt"}.
import { join } from 'node:path';
import type { Tf } from '../../backend';
import { writeSafetensors, type TensorToWrite } from '../../io/safetensors/index';
import { writeJsonFile } from '../../io/json-file';
import { transpose2d } from '../../models/decoder/load';
import { ADAPTER_CONFIG, ADAPTER_WEIGHTS, KEY_PREFIX } from '../peft-files';
import type { LoraLayer } from './layer';

export interface LoraAdapterMeta {
  r: number;
  alpha: number;
  dropout: number;
  rslora: boolean;
  targets: readonly string[] | string;
  baseModel: string;
  /** True when the adapted layers are GPT-2 Conv1D weights. */
  fanInFanOut: boolean;
  /** Per-module rank and alpha overrides (kept from an init_from source, so config and tensors agree). */
  rankPattern?: Record<string, number>;
  alphaPattern?: Record<string, number>;
}

/** The v0.10-era core LoraConfig fields every PEFT version loads (peft/tuners/lora/config.py). */
export function loraAdapterConfig(meta: LoraAdapterMeta): Record<string, unknown> {
  return {
    alpha_pattern: meta.alphaPattern ?? {},
    auto_mapping: null,
    base_model_name_or_path: meta.baseModel,
    bias: 'none',
    fan_in_fan_out: meta.fanInFanOut,
    inference_mode: true,
    init_lora_weights: true,
    layer_replication: null,
    layers_pattern: null,
    layers_to_transform: null,
    loftq_config: {},
    lora_alpha: meta.alpha,
    lora_dropout: meta.dropout,
    megatron_config: null,
    megatron_core: 'megatron.core',
    modules_to_save: null,
    peft_type: 'LORA',
    r: meta.r,
    rank_pattern: meta.rankPattern ?? {},
    revision: null,
    target_modules: meta.targets,
    task_type: 'CAUSAL_LM',
    use_dora: false,
    use_rslora: meta.rslora,
  };
}

/** A and B in PEFT's layouts, read with data() (every backend, webgpu too, answers it). */
export async function loraTensors(layers: readonly LoraLayer[]): Promise<TensorToWrite[]> {
  const values = await Promise.all(layers.map((l) => Promise.all([l.aT.data(), l.bT.data()])));
  return layers.flatMap((l, i) => {
    const [inF, r] = l.aT.shape as [number, number];
    const out = l.bT.shape[1]!;
    const [aT, bT] = values[i]! as [Float32Array, Float32Array];
    return [
      { name: `${KEY_PREFIX}${l.module}.lora_A.weight`, dtype: 'F32', shape: [r, inF], data: transpose2d(aT, inF, r) },
      { name: `${KEY_PREFIX}${l.module}.lora_B.weight`, dtype: 'F32', shape: [out, r], data: transpose2d(bT, r, out) },
    ] satisfies TensorToWrite[];
  });
}

/** Writes the adapter files into `dir` (an existing folder; see writeDirAtomically). */
export async function saveLoraAdapter(_tf: Tf, dir: string, layers: readonly LoraLayer[], meta: LoraAdapterMeta): Promise<void> {
  writeSafetensors(join(dir, ADAPTER_WEIGHTS), await loraTensors(layers));
  writeJsonFile(join(dir, ADAPTER_CONFIG), loraAdapterConfig(meta));
}
