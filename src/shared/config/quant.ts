// QLoRA's frozen-weight storage: NF4 in blocks with an absmax each, optionally
// double-quantized (bitsandbytes' quantize_4bit semantics).
import { z } from 'zod';

export const quantSchema = z.strictObject({
  type: z.literal('nf4').default('nf4').describe('The 4-bit data type of the frozen weights: NF4 (NormalFloat, QLoRA paper §3).'),
  double_quant: z.boolean().default(true).describe("Quantize the blocks' absmax constants to 8 bits too (double quantization): about 0.37 fewer bits per parameter."),
  block_size: z
    .union([z.literal(32), z.literal(64), z.literal(128), z.literal(256)])
    .default(64)
    .describe('Weights per quantization block, each with its own absmax (bitsandbytes blocksize).'),
});
export type QuantConfig = z.infer<typeof quantSchema>;
