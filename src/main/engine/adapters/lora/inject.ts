// Wraps the model's linear layers chosen by `targets` with fresh, trainable LoRA
// branches, initialised as PEFT does (peft/tuners/lora/layer.py reset_lora_parameters): A ~ kaiming_uniform(a=√5),
// i.e. U(−1/√in, 1/√in), and B = 0, so the adapted model starts as the base model.
// Only A and B become variables; the base weights stay plain (frozen) tensors.
import type { Tf } from '../../backend';
import type { Linear } from '../../models/decoder/linear';
import type { Rng } from '../../train/rng';
import { variableFrom } from '../../train/variables';
import { LoraLayer, loraScaling } from './layer';

export interface LoraSettings {
  r: number;
  alpha: number;
  dropout: number;
  rslora: boolean;
}

/** Fresh LoRA branches on `linears` (chosen by adapters/targets.ts selectTrainingTargets), attached. */
export function injectLora(tf: Tf, linears: readonly Linear[], settings: LoraSettings, rng: Rng): LoraLayer[] {
  const scaling = loraScaling(settings.alpha, settings.r, settings.rslora);
  return linears.map((lin) => {
    const module = lin.name;
    const bound = 1 / Math.sqrt(lin.inFeatures);
    // A is [r, in] in PEFT's layout; stored transposed as aT [in, r]. Drawn in PEFT's
    // row order (row i of A = column i of aT) so a seed means the same A either way.
    const aT = new Float32Array(lin.inFeatures * settings.r);
    for (let i = 0; i < settings.r; i++) {
      for (let j = 0; j < lin.inFeatures; j++) aT[j * settings.r + i] = (2 * rng.next() - 1) * bound;
    }
    const layer = new LoraLayer({
      module,
      aT: variableFrom(tf, tf.tensor2d(aT, [lin.inFeatures, settings.r]), `${module}.lora_A`),
      bT: variableFrom(tf, tf.zeros([settings.r, lin.outFeatures]), `${module}.lora_B`),
      scaling,
      dropout: settings.dropout,
    });
    lin.adapters.push(layer);
    return layer;
  });
}
