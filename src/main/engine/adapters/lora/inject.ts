// Wraps the model's linear layers chosen by `targets` with fresh, trainable LoRA
// branches, initialised as PEFT does (peft/tuners/lora/layer.py reset_lora_parameters): A ~ kaiming_uniform(a=√5),
// i.e. U(−1/√in, 1/√in), and B = 0, so the adapted model starts as the base model.
// Only A and B become variables; the base weights stay plain (frozen) tensors.
import { closeNames, targetMatcher, TargetError, type Targets } from '../../../../shared/math/targets';
import type { Tf } from '../../backend';
import type { DecoderModel } from '../../models/decoder/decoder';
import type { Rng } from '../../train/rng';
import { variableFrom } from '../../train/variables';
import { LoraLayer, loraScaling } from './layer';

export interface LoraSettings {
  r: number;
  alpha: number;
  dropout: number;
  rslora: boolean;
  /** Module names or a regex; the architecture's PEFT defaults when null. */
  targets: Targets;
}

/** The model's linear layers the targets select; an unmatched target is an error with suggestions. */
export function selectTargets(model: DecoderModel, targets: Targets): string[] {
  const modules = model.linears().map((l) => l.name).filter((n) => n !== 'lm_head');
  const match = targetMatcher(targets);
  const chosen = modules.filter(match);
  if (typeof targets !== 'string') {
    for (const t of targets) {
      if (!modules.some((m) => targetMatcher([t])(m))) {
        const close = closeNames(t, new Set(modules.map((m) => m.slice(m.lastIndexOf('.') + 1))));
        throw new TargetError(`lora.targets: "${t}" matches no linear layer of this model${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}`);
      }
    }
  }
  if (chosen.length === 0) throw new TargetError(`lora.targets: ${JSON.stringify(targets)} matches no linear layer of this model`);
  return chosen;
}

export function injectLora(tf: Tf, model: DecoderModel, settings: LoraSettings, rng: Rng): LoraLayer[] {
  const byName = new Map(model.linears().map((l) => [l.name, l]));
  const scaling = loraScaling(settings.alpha, settings.r, settings.rslora);
  return selectTargets(model, settings.targets).map((module) => {
    const lin = byName.get(module)!;
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
