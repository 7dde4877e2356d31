// A linear layer as the runtime holds it: the weight in [in, out] layout so the
// forward product is a plain x·W (the fast matMul path of the wasm backend,
// where transposed products are slow), an optional bias, and the module's Hugging Face path
// (`model.layers.0.self_attn.q_proj`), which is where adapters attach. A frozen
// weight may instead be held quantized (QLoRA's NF4, see quant/nf4-weight.ts): then
// `w` is null and the product dequantizes it on the fly, forward and backward.
import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';
import { matMulNf4 } from '../../quant/nf4-matmul';
import type { Nf4Weight } from '../../quant/nf4-weight';
import { matMulFast } from './matmul';

/** Something added to a linear layer's output (a LoRA branch, …), given the layer input. */
export interface LinearAdapter {
  forward(tf: Tf, x2d: Tensor2D): Tensor2D;
  dispose(): void;
}

export interface Linear {
  /** Module path as Hugging Face names it in memory (PEFT keys are built from it). */
  name: string;
  /** [in, out]; null while the weight is held quantized. */
  w: Tensor2D | null;
  /** The frozen weight as packed NF4 codes (QLoRA), or null for a float32 `w`. */
  quantized: Nf4Weight | null;
  b: Tensor1D | null;
  inFeatures: number;
  outFeatures: number;
  /** Checkpoint name prefix the weight was loaded from (`h.0.attn.c_attn` in GPT-2 hub files). */
  tensor: string;
  /** How the checkpoint stores the weight: nn.Linear [out, in] or GPT-2's Conv1D [in, out] (fan_in_fan_out). */
  checkpointLayout: 'out-in' | 'in-out';
  adapters: LinearAdapter[];
}

export function makeLinear(
  name: string,
  w: Tensor2D,
  b: Tensor1D | null,
  checkpointLayout: Linear['checkpointLayout'] = 'out-in',
  tensor: string = name,
): Linear {
  const [inFeatures, outFeatures] = w.shape;
  return { name, w, quantized: null, b, inFeatures, outFeatures, checkpointLayout, tensor, adapters: [] };
}

/** y = x·W + b + Σ adapters(x), for x of any rank with the feature axis last. */
export function applyLinear(tf: Tf, lin: Linear, x: Tensor): Tensor {
  return tf.tidy(() => {
    const lead = x.shape.slice(0, -1);
    const x2d = x.reshape([-1, lin.inFeatures]) as Tensor2D;
    let y = (lin.quantized ? matMulNf4(tf, x2d, lin.quantized) : matMulFast(tf, x2d, lin.w!)) as Tensor2D;
    if (lin.b) y = tf.add(y, lin.b);
    for (const a of lin.adapters) y = tf.add(y, a.forward(tf, x2d));
    return y.reshape([...lead, lin.outFeatures]);
  });
}

export function disposeLinear(lin: Linear): void {
  lin.w?.dispose();
  lin.b?.dispose();
  lin.adapters.forEach((a) => a.dispose());
}
