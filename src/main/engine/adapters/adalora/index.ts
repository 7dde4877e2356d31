// AdaLoRA (Zhang et al. 2023, ICLR, arXiv:2303.10512; peft/tuners/adalora): the
// update P·Λ·Q per module with the rank budgeted during training by importance.
// The registered method object.
import { methodInfo } from '../../../../shared/config/methods';
import type { SafetensorsFile } from '../../io/safetensors/index';
import { MethodError, type AdapterMethod, type DeltaFactors } from '../method';
import { AdapterError, groupByModule, num } from '../peft-files';
import { adaloraScaling } from './layer';
import { loadAdaloraLayers } from './peft';

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
  createTrainable() {
    throw new MethodError('method adalora: training is being added in this build');
  },
  load: loadAdaloraLayers,
  deltaFactors: adaloraDeltaFactors,
};
