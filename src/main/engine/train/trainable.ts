// What a method trains, behind one small interface the trainer loop uses: the
// parameters (named, so optimizer state and checkpoints are keyed by name), a
// switch for training-only behaviour (dropout), per-step dropout seeds, and how
// the result is saved. LoRA: only A and B of the targeted layers; the base
// weights stay frozen tensors with no gradient and no optimizer state.
import type { RunConfig } from '../../../shared/config/run-config';
import { loadAdapter } from '../adapters/index';
import { injectLora } from '../adapters/lora/inject';
import type { LoraLayer } from '../adapters/lora/layer';
import { saveLoraAdapter } from '../adapters/lora/save';
import type { Tf } from '../backend';
import type { LoadedModel } from '../models/load-model';
import type { Param } from './optimizer';
import type { Rng } from './rng';
import { variableFrom } from './variables';
import { saveModelFolder } from '../models/save-model';

export interface Trainable {
  params: Param[];
  setTraining(on: boolean): void;
  setDropoutSeeds(seed: number): void;
  /** Writes the trained result (a PEFT adapter folder, or a whole model for full) into `dir`. */
  save(dir: string): void;
  /** Detaches adapters and frees their tensors. */
  dispose(): void;
}

export class MethodError extends Error {
  override readonly name = 'MethodError';
}

export function createTrainable(tf: Tf, loaded: LoadedModel, config: RunConfig, initFrom: string | null, rng: Rng): Trainable {
  if (config.method === 'full') return fullTrainable(tf, loaded, initFrom);
  if (config.method !== 'lora') {
    throw new MethodError(`method "${config.method}" is not available yet in this build; use method: lora or full`);
  }
  const { model, architecture } = loaded;
  let layers: LoraLayer[];
  let meta: { r: number; alpha: number; dropout: number; rslora: boolean; targets: readonly string[] | string };
  let detach: () => void;
  if (initFrom) {
    // Continue an existing adapter: its own rank, alpha and targets win over the config's lora section.
    const adapter = loadAdapter(tf, initFrom, model);
    if (adapter.peftType !== 'LORA') throw new MethodError(`init_from ${initFrom}: a ${adapter.peftType} adapter cannot continue a LoRA run`);
    layers = adapter.layers;
    layers.forEach((l) => l.makeTrainable(tf));
    const c = adapter.config;
    meta = {
      r: c.r as number,
      alpha: c.lora_alpha as number,
      dropout: config.lora?.dropout ?? ((c.lora_dropout as number) || 0),
      rslora: c.use_rslora === true,
      targets: (c.target_modules as string[] | string) ?? layers.map((l) => l.module),
    };
    detach = () => adapter.detach();
  } else {
    const lora = config.lora ?? { r: 8, alpha: 16, dropout: 0, rslora: false, targets: null };
    const targets = lora.targets ?? architecture.defaultTargets.lora;
    meta = { r: lora.r, alpha: lora.alpha, dropout: lora.dropout, rslora: lora.rslora, targets };
    layers = injectLora(tf, model, { ...meta }, rng);
    detach = () => {
      for (const lin of model.linears()) lin.adapters = lin.adapters.filter((a) => !layers.includes(a as LoraLayer));
      layers.forEach((l) => l.dispose());
    };
  }
  const params = layers.flatMap((l) => l.variables().map((variable) => ({ name: variable.name, variable })));
  const fanInFanOut = layers.some((l) => model.linears().find((lin) => lin.name === l.module)?.checkpointLayout === 'in-out');
  return {
    params,
    setTraining: (on) => layers.forEach((l) => (l.training = on)),
    setDropoutSeeds: (seed) => layers.forEach((l, i) => (l.dropoutSeed = seed + i)),
    save: (dir) => saveLoraAdapter(tf, dir, layers, { ...meta, baseModel: loaded.dir, fanInFanOut }),
    dispose: detach,
  };
}

/**
 * Full fine-tuning: every weight of the model becomes a variable (the same
 * trainer, so LoRA's savings can be measured against it). The result is a whole
 * Hugging Face model folder.
 */
function fullTrainable(tf: Tf, loaded: LoadedModel, initFrom: string | null): Trainable {
  if (initFrom) throw new MethodError('init_from continues an adapter; for method full, point model at the earlier model folder instead');
  const params = loaded.model.slots().map((slot) => {
    const variable = variableFrom(tf, slot.get(), slot.name);
    slot.set(variable);
    return { name: slot.name, variable };
  });
  return {
    params,
    setTraining: () => undefined,
    setDropoutSeeds: () => undefined,
    save: (dir) => saveModelFolder(dir, loaded.model, loaded.dir),
    // The variables are the model's weights now; they go when the model is disposed.
    dispose: () => undefined,
  };
}
