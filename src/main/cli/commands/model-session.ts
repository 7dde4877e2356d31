// Shared set-up of the commands that run a model (eval, generate): pick the
// backend, then engine/infer/open-model (load the folder, quantize the base to NF4
// with --quantize nf4 [--double-quant], attach an adapter), load the tokenizer, and
// say what was loaded on stderr.
import type { AttachedAdapter } from '../../engine/adapters/index';
import { selectBackend, type Tf } from '../../engine/backend';
import { openModel } from '../../engine/infer/open-model';
import { loadTokenizer, type HfTokenizer } from '../../engine/io/tokenizer/index';
import type { LoadedModel } from '../../engine/models/load-model';
import { quantSchema, type QuantConfig } from '../../../shared/config/quant';
import { flag, str, UsageError, type Parsed } from '../args';

export interface ModelSession {
  tf: Tf;
  loaded: LoadedModel;
  tokenizer: HfTokenizer | null;
  adapter: AttachedAdapter | null;
  close(): void;
}

/** `--quantize nf4` (block 64, as bitsandbytes' default) and `--double-quant`. */
export function quantOption(args: Parsed): QuantConfig | null {
  const type = str(args, 'quantize');
  if (type === undefined) {
    if (flag(args, 'double-quant')) throw new UsageError('--double-quant applies to a quantized base; add --quantize nf4');
    return null;
  }
  if (type !== 'nf4') throw new UsageError(`--quantize must be nf4, got ${type}`);
  return quantSchema.parse({ type, double_quant: flag(args, 'double-quant') });
}

export async function openModelSession(args: Parsed): Promise<ModelSession> {
  const modelDir = str(args, 'model');
  if (!modelDir) throw new UsageError('--model <dir> is required (a Hugging Face model folder)');
  const quant = quantOption(args);
  const selection = await selectBackend({ prefer: str(args, 'backend') });
  const started = Date.now();
  const opened = openModel(selection.tf, { model: modelDir, adapter: str(args, 'adapter') ?? null, quant });
  let tokenizer: HfTokenizer | null;
  try {
    tokenizer = await loadTokenizer(modelDir);
  } catch (err) {
    opened.close();
    throw err;
  }
  process.stderr.write(`${opened.describe()}, loaded in ${Date.now() - started} ms on ${selection.backend}\n`);
  return { tf: selection.tf, loaded: opened.loaded, tokenizer, adapter: opened.adapter, close: () => opened.close() };
}
