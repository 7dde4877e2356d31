// QLoRA (Dettmers et al. 2023, arXiv:2305.14314): LoRA adapters trained in float32
// over a frozen base whose decoder-block linear weights are 4-bit NormalFloat
// (optionally with double-quantized block scales), dequantized on the fly in the
// forward and backward passes (engine/quant). The adapter itself is plain LoRA —
// the `lora` config section, a PEFT LORA folder (a QLoRA run's adapter_config.json
// is an ordinary LoraConfig; the quantization lives in the base model's loading,
// bitsandbytes' BitsAndBytesConfig, not in the adapter) — so training, loading,
// saving and merge factors are LoRA's; only the base is prepared differently.
import { methodInfo } from '../../../../shared/config/methods';
import { quantSchema } from '../../../../shared/config/quant';
import { quantizeModel } from '../../quant/quantize-model';
import { checkLoraInitFrom, loraDeltaFactors } from '../lora/index';
import { createLoraTrainable } from '../lora/train';
import type { AdapterMethod } from '../method';

const info = methodInfo('qlora');

export const qloraMethod: AdapterMethod = {
  info,
  checkConfig: (config) => info.check(config),
  checkInitFrom: (config, source, dir) => checkLoraInitFrom(config, source, dir, 'LORA'),
  // No quant section means QLoRA's recipe: NF4, blocks of 64, double quantization.
  prepareBase: async (_tf, loaded, config) => void (await quantizeModel(loaded.model, config.quant ?? quantSchema.parse({}))),
  createTrainable: (ctx) => createLoraTrainable(ctx, info),
  deltaFactors: loraDeltaFactors,
};
