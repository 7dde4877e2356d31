// A model ready to run (eval, generate, a merge's check): the folder loaded, its base
// optionally quantized to NF4 as QLoRA trains it (quantize first, so an adapter
// trained by QLoRA is evaluated on the base it was trained against), then an adapter
// attached. The CLI and the services share this one path.
import type { QuantConfig } from '../../../shared/config/quant';
import { loadAdapter, type AttachedAdapter } from '../adapters/index';
import type { Tf } from '../backend';
import { loadModel, type LoadedModel } from '../models/load-model';
import { bytesPerParameter } from '../quant/nf4-weight';
import { quantizeModel, type QuantizedBase } from '../quant/quantize-model';

export interface OpenModelOptions {
  model: string;
  adapter?: string | null;
  /** Quantize the decoder-block linear weights to NF4 (null: float32 as stored). */
  quant?: QuantConfig | null;
}

export interface OpenedModel {
  loaded: LoadedModel;
  adapter: AttachedAdapter | null;
  quantized: QuantizedBase | null;
  /** One line saying what was loaded (for stderr or a job log). */
  describe(): string;
  close(): void;
}

export async function openModel(tf: Tf, opts: OpenModelOptions): Promise<OpenedModel> {
  const loaded = loadModel(tf, opts.model);
  let adapter: AttachedAdapter | null = null;
  let quantized: QuantizedBase | null = null;
  try {
    quantized = opts.quant ? await quantizeModel(loaded.model, opts.quant) : null;
    adapter = opts.adapter ? loadAdapter(tf, opts.adapter, loaded.model) : null;
  } catch (err) {
    loaded.model.dispose();
    throw err;
  }
  return {
    loaded,
    adapter,
    quantized,
    describe() {
      const params = loaded.model.numParams().toLocaleString('en-US');
      const q = quantized;
      const quant = q
        ? `; NF4 base (${q.linears.length} linear weights, block ${q.config.block_size}${q.config.double_quant ? ', double-quantized' : ''}, ` +
          `${bytesPerParameter(q.weights).toFixed(4)} bytes/parameter)`
        : '';
      return `${loaded.spec.modelType} model, ${params} parameters${quant}${adapter ? `; ${adapter.peftType} adapter on ${adapter.layers.length} modules` : ''}`;
    },
    close() {
      adapter?.detach();
      loaded.model.dispose();
    },
  };
}
