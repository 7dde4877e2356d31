// LoRA training: fresh branches on the selected layers (or an init_from adapter
// made trainable), only A and B as variables, saved as a PEFT LoRA folder. QLoRA
// trains exactly this over its prepared (quantized) base.
import { loraSchema, type LoraConfig } from '../../../../shared/config/lora';
import type { MethodInfo } from '../../../../shared/config/methods';
import { loadAdapter } from '../index';
import type { Trainable, TrainContext } from '../method';
import { MethodError } from '../method';
import { selectTrainingTargets } from '../targets';
import { injectLora } from './inject';
import type { LoraLayer } from './layer';
import { saveLoraAdapter, type LoraAdapterMeta } from './save';

/** The lora section with the schema's defaults when the config leaves it out (one source of defaults). */
export const loraSettings = (config: { lora?: LoraConfig }): LoraConfig => config.lora ?? loraSchema.parse({});

export function createLoraTrainable(ctx: TrainContext, info: MethodInfo): Trainable {
  const { tf, loaded, config, initFrom, rng } = ctx;
  const { model } = loaded;
  let layers: LoraLayer[];
  let meta: Omit<LoraAdapterMeta, 'baseModel' | 'fanInFanOut'>;
  let detach: () => void;
  if (initFrom) {
    // Continue an existing adapter: its own rank, alpha, patterns and targets (checkInitFrom
    // refused a config rank that disagrees before the run was recorded).
    const adapter = loadAdapter(tf, initFrom, model);
    if (adapter.peftType !== info.peftType) {
      adapter.detach();
      throw new MethodError(`init_from ${initFrom}: a ${adapter.peftType} adapter cannot continue a ${info.label} run`);
    }
    layers = adapter.layers;
    layers.forEach((l) => l.makeTrainable(tf));
    const c = adapter.config;
    meta = {
      r: c.r as number,
      alpha: c.lora_alpha as number,
      dropout: config.lora?.dropout ?? ((c.lora_dropout as number) || 0),
      rslora: c.use_rslora === true,
      targets: (c.target_modules as string[] | string) ?? layers.map((l) => l.module),
      rankPattern: (c.rank_pattern as Record<string, number> | null) ?? {},
      alphaPattern: (c.alpha_pattern as Record<string, number> | null) ?? {},
    };
    detach = () => adapter.detach();
  } else {
    const lora = loraSettings(config);
    const linears = selectTrainingTargets(loaded, lora.targets, info);
    meta = { r: lora.r, alpha: lora.alpha, dropout: lora.dropout, rslora: lora.rslora, targets: lora.targets ?? loaded.architecture.defaultTargets.lora, rankPattern: {}, alphaPattern: {} };
    layers = injectLora(tf, linears, meta, rng);
    detach = () => {
      for (const lin of model.linears()) lin.adapters = lin.adapters.filter((a) => !layers.includes(a as LoraLayer));
      layers.forEach((l) => l.dispose());
    };
  }
  const params = layers.flatMap((l) => l.variables().map((variable) => ({ name: variable.name, variable })));
  const fanInFanOut = layers.some((l) => model.linears().find((lin) => lin.name === l.module)?.checkpointLayout === 'in-out');
  return {
    params,
    result: 'adapter',
    setTraining: (on) => layers.forEach((l) => (l.training = on)),
    setDropoutSeeds: (seed) => layers.forEach((l, i) => (l.dropoutSeed = seed + i)),
    save: (dir) => saveLoraAdapter(tf, dir, layers, { ...meta, baseModel: loaded.dir, fanInFanOut }),
    dispose: detach,
  };
}
