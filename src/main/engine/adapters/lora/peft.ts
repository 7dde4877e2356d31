// Loads a PEFT LoRA adapter (peft_type "LORA") onto a runtime model: lora_A.weight
// [r, in] and lora_B.weight [out, r] per module, scaling from lora_alpha, r,
// use_rslora and the rank/alpha patterns (peft/tuners/lora/layer.py update_layer; peft/utils/save_and_load.py get_peft_model_state_dict).
import type { Tf } from '../../backend';
import type { Linear } from '../../models/decoder/linear';
import { transpose2d } from '../../models/decoder/load';
import { AdapterError, groupByModule, num, openAdapterWeights, patternValue } from '../peft-files';
import { LoraLayer, loraScaling } from './layer';

export function loadLoraLayers(tf: Tf, dir: string, config: Record<string, unknown>, linears: Map<string, Linear>): LoraLayer[] {
  const weights = openAdapterWeights(dir);
  try {
    const groups = groupByModule(weights.header.tensors.keys(), ['lora_A.weight', 'lora_B.weight']);
    const layers: LoraLayer[] = [];
    for (const [module, keys] of groups) {
      const lin = linears.get(module);
      if (!lin) throw new AdapterError(`${dir}: the adapter targets "${module}", which this model does not have`);
      const aKey = keys.get('lora_A.weight');
      const bKey = keys.get('lora_B.weight');
      if (!aKey || !bKey) throw new AdapterError(`${dir}: module "${module}" needs both lora_A.weight and lora_B.weight`);
      const [r, inA] = weights.header.tensors.get(aKey)!.shape as [number, number];
      const [outB, rB] = weights.header.tensors.get(bKey)!.shape as [number, number];
      if (inA !== lin.inFeatures || outB !== lin.outFeatures || rB !== r) {
        throw new AdapterError(
          `${dir}: "${module}" has lora_A [${r}, ${inA}] and lora_B [${outB}, ${rB}], but the layer is ${lin.inFeatures} → ${lin.outFeatures}`,
        );
      }
      const rank = patternValue(config.rank_pattern as Record<string, number>, module) ?? num(config, 'r', 8);
      const alpha = patternValue(config.alpha_pattern as Record<string, number>, module) ?? num(config, 'lora_alpha', 8);
      if (rank !== r) throw new AdapterError(`${dir}: "${module}" has rank ${r} in the file but ${rank} in adapter_config.json`);
      layers.push(
        new LoraLayer({
          module,
          aT: tf.tensor2d(transpose2d(weights.readFloat32(aKey), r, inA), [inA, r]),
          bT: tf.tensor2d(transpose2d(weights.readFloat32(bKey), outB, r), [r, outB]),
          scaling: loraScaling(alpha, r, config.use_rslora === true),
          dropout: num(config, 'lora_dropout', 0),
        }),
      );
    }
    return layers;
  } finally {
    weights.close();
  }
}
