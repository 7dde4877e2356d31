// Loads a PEFT AdaLoRA adapter (peft_type "ADALORA"): lora_A [k, in], lora_B [out, k]
// and lora_E [k, 1] per module, physically truncated to the k kept triplets of
// rank_pattern, with ranknum restored to init_r (peft/utils/save_and_load.py, AdaLoRA resize_state_dict_by_rank_pattern; peft/tuners/adalora/layer.py).
import type { Tf } from '../../backend';
import type { Linear } from '../../models/decoder/linear';
import { transpose2d } from '../../models/decoder/load';
import { AdapterError, groupByModule, num, openAdapterWeights } from '../peft-files';
import { AdaloraLayer } from './layer';

export function loadAdaloraLayers(tf: Tf, dir: string, config: Record<string, unknown>, linears: Map<string, Linear>): AdaloraLayer[] {
  const initR = num(config, 'init_r', 12);
  const weights = openAdapterWeights(dir);
  try {
    const groups = groupByModule(weights.header.tensors.keys(), ['lora_A', 'lora_B', 'lora_E']);
    const layers: AdaloraLayer[] = [];
    for (const [module, keys] of groups) {
      const lin = linears.get(module);
      if (!lin) throw new AdapterError(`${dir}: the adapter targets "${module}", which this model does not have`);
      const [aKey, bKey, eKey] = ['lora_A', 'lora_B', 'lora_E'].map((s) => keys.get(s));
      if (!aKey || !bKey || !eKey) throw new AdapterError(`${dir}: module "${module}" needs lora_A, lora_B and lora_E`);
      const [k, inA] = weights.header.tensors.get(aKey)!.shape as [number, number];
      const [outB, kB] = weights.header.tensors.get(bKey)!.shape as [number, number];
      const eShape = weights.header.tensors.get(eKey)!.shape;
      if (inA !== lin.inFeatures || outB !== lin.outFeatures || kB !== k || eShape[0] !== k) {
        throw new AdapterError(`${dir}: "${module}" has lora_A [${k}, ${inA}], lora_B [${outB}, ${kB}], lora_E [${eShape}] for a ${lin.inFeatures} → ${lin.outFeatures} layer`);
      }
      layers.push(
        new AdaloraLayer({
          module,
          aT: tf.tensor2d(transpose2d(weights.readFloat32(aKey), k, inA), [inA, k]),
          bT: tf.tensor2d(transpose2d(weights.readFloat32(bKey), outB, k), [k, outB]),
          e: tf.tensor1d(weights.readFloat32(eKey)),
          alpha: num(config, 'lora_alpha', 8),
          ranknum: initR,
          dropout: num(config, 'lora_dropout', 0),
        }),
      );
    }
    return layers;
  } finally {
    weights.close();
  }
}
