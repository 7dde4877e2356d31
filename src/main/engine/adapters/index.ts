// Loading an adapter folder attaches its layers to the model's linear layers (by
// module path) and returns a handle to detach them. The method that reads the
// folder is the one registered for its peft_type (registry.ts).
import type { Tf } from '../backend';
import type { DecoderModel } from '../models/decoder/decoder';
import type { LoraLayer } from './lora/layer';
import { assertFiniteAdapter } from './finite';
import { AdapterError, openAdapterWeights, readAdapterConfig } from './peft-files';
import { loadablePeftTypes, methodForPeftType } from './registry';

export { AdapterError };

export interface AttachedAdapter {
  dir: string;
  peftType: string;
  config: Record<string, unknown>;
  layers: LoraLayer[];
  /** Removes the layers from the model and frees them. */
  detach(): void;
}

export function loadAdapter(tf: Tf, dir: string, model: DecoderModel): AttachedAdapter {
  const config = readAdapterConfig(dir);
  const method = methodForPeftType(config.peft_type);
  if (!method?.load) throw new AdapterError(`${dir}: peft_type "${config.peft_type}" is not supported (supported: ${loadablePeftTypes().join(', ')})`);
  if (config.use_dora === true) throw new AdapterError(`${dir}: DoRA adapters (use_dora) are not supported`);
  if (config.modules_to_save) throw new AdapterError(`${dir}: adapters with modules_to_save are not supported yet`);
  const linears = new Map(model.linears().map((l) => [l.name, l]));
  const weights = openAdapterWeights(dir);
  try {
    assertFiniteAdapter(dir, weights);
  } finally {
    weights.close();
  }
  const layers = method.load(tf, dir, config, linears);
  for (const layer of layers) linears.get(layer.module)!.adapters.push(layer);
  return {
    dir,
    peftType: config.peft_type,
    config,
    layers,
    detach() {
      for (const layer of layers) {
        const lin = linears.get(layer.module)!;
        lin.adapters = lin.adapters.filter((a) => a !== layer);
        layer.dispose();
      }
    },
  };
}
