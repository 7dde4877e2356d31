// Adapter methods by PEFT type. Loading an adapter folder attaches its layers to
// the model's linear layers (by module path) and returns a handle to detach them.
import type { Tf } from '../backend';
import type { DecoderModel } from '../models/decoder/decoder';
import type { Linear } from '../models/decoder/linear';
import { loadAdaloraLayers } from './adalora/peft';
import type { LoraLayer } from './lora/layer';
import { loadLoraLayers } from './lora/peft';
import { AdapterError, readAdapterConfig } from './peft-files';

export { AdapterError };

type Loader = (tf: Tf, dir: string, config: Record<string, unknown>, linears: Map<string, Linear>) => LoraLayer[];

const LOADERS: Record<string, Loader> = {
  LORA: loadLoraLayers,
  ADALORA: loadAdaloraLayers,
};

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
  const load = LOADERS[config.peft_type];
  if (!load) throw new AdapterError(`${dir}: peft_type "${config.peft_type}" is not supported (supported: ${Object.keys(LOADERS).join(', ')})`);
  if (config.use_dora === true) throw new AdapterError(`${dir}: DoRA adapters (use_dora) are not supported`);
  if (config.modules_to_save) throw new AdapterError(`${dir}: adapters with modules_to_save are not supported yet`);
  const linears = new Map(model.linears().map((l) => [l.name, l]));
  const layers = load(tf, dir, config, linears);
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
