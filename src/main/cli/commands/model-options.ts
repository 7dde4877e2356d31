// The options of the commands that run a model (eval, generate): the model
// folder, an adapter, and `--quantize nf4` (block 64, as bitsandbytes' default)
// with `--double-quant`.
import { flag, str, UsageError, type Parsed } from '../args';

export interface ModelOptions {
  model: string;
  adapter: string | null;
  quantize: 'nf4' | null;
  doubleQuant: boolean;
}

export function modelOptions(args: Parsed): ModelOptions {
  const model = str(args, 'model');
  if (!model) throw new UsageError('--model <dir> is required (a Hugging Face model folder)');
  const type = str(args, 'quantize');
  if (type === undefined && flag(args, 'double-quant')) throw new UsageError('--double-quant applies to a quantized base; add --quantize nf4');
  if (type !== undefined && type !== 'nf4') throw new UsageError(`--quantize must be nf4, got ${type}`);
  return { model, adapter: str(args, 'adapter') ?? null, quantize: type ?? null, doubleQuant: flag(args, 'double-quant') };
}
