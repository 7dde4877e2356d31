// Quantizes a loaded model's frozen base as QLoRA does: every linear weight inside
// the decoder blocks (attention and MLP projections) becomes NF4; the embeddings,
// norms, biases and the LM head stay float32 (QLoRA §4; transformers' bitsandbytes
// integration keeps lm_head out of the 4-bit conversion). Each weight is quantized in
// nn.Linear's [out, in] layout — the runtime holds [in, out], so that is its transpose,
// for Llama's Linear and GPT-2's Conv1D alike (transformers transposes Conv1D weights
// before bitsandbytes sees them) — and its float32 tensor is freed.
import type { QuantConfig } from '../../../shared/config/quant';
import type { DecoderModel } from '../models/decoder/decoder';
import type { Linear } from '../models/decoder/linear';
import { transpose2d } from '../models/decoder/load';
import { Nf4Weight } from './nf4-weight';

export interface QuantizedBase {
  config: QuantConfig;
  /** The quantized layers, by module path. */
  linears: Linear[];
  weights: Nf4Weight[];
}

/** The linear layers QLoRA quantizes: all but the LM head. */
export function quantizableLinears(model: DecoderModel): Linear[] {
  return model.linears().filter((l) => l !== model.weights.lmHead);
}

/** One weight at a time, read with data() (every backend, webgpu too), so one float32 host copy is in flight. */
export async function quantizeModel(model: DecoderModel, config: QuantConfig): Promise<QuantizedBase> {
  const linears = quantizableLinears(model);
  const weights: Nf4Weight[] = [];
  for (const lin of linears) {
    if (lin.quantized) throw new Error(`${lin.name} is already quantized`);
    const inOut = (await lin.w!.data()) as Float32Array;
    const q = Nf4Weight.quantize(transpose2d(inOut, lin.inFeatures, lin.outFeatures), lin.outFeatures, lin.inFeatures, config);
    lin.w!.dispose();
    lin.w = null;
    lin.quantized = q;
    weights.push(q);
  }
  return { config, linears, weights };
}
