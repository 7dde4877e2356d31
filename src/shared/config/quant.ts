// QLoRA's frozen-weight storage: NF4 in blocks with an absmax each, optionally
// double-quantized (bitsandbytes' quantize_4bit semantics).
import { z } from 'zod';

export const quantSchema = z.strictObject({
  type: z.literal('nf4').default('nf4'),
  double_quant: z.boolean().default(true),
  block_size: z.union([z.literal(32), z.literal(64), z.literal(128), z.literal(256)]).default(64),
});
export type QuantConfig = z.infer<typeof quantSchema>;
