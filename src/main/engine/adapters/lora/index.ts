// LoRA (Hu et al. 2021, arXiv:2106.09685; peft/tuners/lora): ΔW = (α/r)·B·A on the
// targeted layers, saved as a PEFT LoRA folder. The registered method object.
import { methodInfo } from '../../../../shared/config/methods';
import type { RunConfig } from '../../../../shared/config/run-config';
import type { AdapterMethod, ConfigIssue, DeltaFactors } from '../method';
import { AdapterError, groupByModule, num, patternValue } from '../peft-files';
import { loraScaling } from './layer';
import { loadLoraLayers } from './peft';
import { createLoraTrainable } from './train';

const info = methodInfo('lora');

/**
 * init_from under a LoRA-family method: the source must be a LORA adapter, and a
 * config lora.r must agree with it — the source's rank (and rank_pattern) is what
 * trains on, so a different r would be silently ignored otherwise.
 */
export function checkLoraInitFrom(config: RunConfig, source: Record<string, unknown>, dir: string, peftType: string): ConfigIssue[] {
  if (source.peft_type !== peftType) {
    return [{ path: ['init_from'], message: `${dir} is a ${String(source.peft_type)} adapter; method ${config.method} continues ${peftType} adapters` }];
  }
  const r = source.r;
  if (config.lora && typeof r === 'number' && config.lora.r !== r) {
    return [{ path: ['lora', 'r'], message: `is ${config.lora.r}, but the init_from adapter ${dir} has r ${r}; a continued adapter keeps its rank (set lora.r: ${r} or remove it)` }];
  }
  return [];
}

/** A PEFT LoRA folder's factors: ΔW = scaling·B·A with the per-module rank/alpha patterns (peft/tuners/lora/layer.py get_delta_weight). */
export function loraDeltaFactors(dir: string, config: Record<string, unknown>, weights: import('../../io/safetensors/index').SafetensorsFile): DeltaFactors[] {
  const out: DeltaFactors[] = [];
  for (const [module, keys] of groupByModule(weights.header.tensors.keys(), ['lora_A.weight', 'lora_B.weight'])) {
    const aKey = keys.get('lora_A.weight');
    const bKey = keys.get('lora_B.weight');
    if (!aKey || !bKey) throw new AdapterError(`${dir}: module "${module}" needs both lora_A.weight and lora_B.weight`);
    const [r, inF] = weights.header.tensors.get(aKey)!.shape as [number, number];
    const outF = weights.header.tensors.get(bKey)!.shape[0]!;
    const rank = patternValue(config.rank_pattern as Record<string, number>, module) ?? num(config, 'r', 8);
    const alpha = patternValue(config.alpha_pattern as Record<string, number>, module) ?? num(config, 'lora_alpha', 8);
    out.push({ module, a: weights.readFloat32(aKey), b: weights.readFloat32(bKey), r, inF, outF, scaling: loraScaling(alpha, rank, config.use_rslora === true) });
  }
  return out;
}

export const loraMethod: AdapterMethod = {
  info,
  checkConfig: (config) => info.check(config),
  checkInitFrom: (config, source, dir) => checkLoraInitFrom(config, source, dir, 'LORA'),
  createTrainable: (ctx) => createLoraTrainable(ctx, info),
  load: loadLoraLayers,
  deltaFactors: loraDeltaFactors,
};
