// AdaLoRA (Zhang et al. 2023, ICLR, arXiv:2303.10512; peft/tuners/adalora): the
// update P·Λ·Q per module with the rank budgeted during training by importance.
// The registered method object.
import { methodInfo } from '../../../../shared/config/methods';
import type { SafetensorsFile } from '../../io/safetensors/index';
import type { AdapterMethod, DeltaFactors } from '../method';
import { AdapterError, groupByModule, num } from '../peft-files';
import { adaloraScaling } from './layer';
import { loadAdaloraLayers } from './peft';
import { createAdaloraTrainable } from './train';

const info = methodInfo('adalora');

/**
 * A PEFT AdaLoRA folder's factors: ΔW = B·(A ⊙ E)·α/(init_r + 1e-5) (peft/tuners/adalora/layer.py
 * get_delta_weight), with E folded into A here so merge sees one B·A product.
 */
export function adaloraDeltaFactors(dir: string, config: Record<string, unknown>, weights: SafetensorsFile): DeltaFactors[] {
  const scaling = adaloraScaling(num(config, 'lora_alpha', 8), num(config, 'init_r', 12));
  const out: DeltaFactors[] = [];
  for (const [module, keys] of groupByModule(weights.header.tensors.keys(), ['lora_A', 'lora_B', 'lora_E'])) {
    const missing = ['lora_A', 'lora_B', 'lora_E'].filter((s) => !keys.has(s));
    if (missing.length) throw new AdapterError(`${dir}: module "${module}" has no ${missing.join(', ')} in adapter_model.safetensors (AdaLoRA needs lora_A, lora_B and lora_E)`);
    const [r, inF] = weights.header.tensors.get(keys.get('lora_A')!)!.shape as [number, number];
    const outF = weights.header.tensors.get(keys.get('lora_B')!)!.shape[0]!;
    const a = weights.readFloat32(keys.get('lora_A')!);
    const e = weights.readFloat32(keys.get('lora_E')!);
    if (e.length !== r) throw new AdapterError(`${dir}: "${module}" has lora_E of ${e.length} values for lora_A of rank ${r}`);
    for (let k = 0; k < r; k++) for (let i = 0; i < inF; i++) a[k * inF + i] = a[k * inF + i]! * e[k]!;
    out.push({ module, a, b: weights.readFloat32(keys.get('lora_B')!), r, inF, outF, scaling });
  }
  return out;
}

export const adaloraMethod: AdapterMethod = {
  info,
  checkConfig: (config) => info.check(config),
  checkInitFrom(config, source, dir) {
    if (source.peft_type !== 'ADALORA') {
      return [{ path: ['init_from'], message: `${dir} is a ${String(source.peft_type)} adapter; method adalora continues ADALORA adapters` }];
    }
    const initR = source.init_r;
    if (config.adalora && typeof initR === 'number' && config.adalora.init_r !== initR) {
      return [{ path: ['adalora', 'init_r'], message: `is ${config.adalora.init_r}, but the init_from adapter ${dir} has init_r ${initR}; a continued adapter keeps its ranks (set adalora.init_r: ${initR})` }];
    }
    return [];
  },
  createTrainable: (ctx) => createAdaloraTrainable(ctx, info),
  load: loadAdaloraLayers,
  deltaFactors: adaloraDeltaFactors,
};
