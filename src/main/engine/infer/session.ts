// Set-up shared by the jobs that run a model (generate, eval): pick the backend,
// then infer/open-model (load the folder, quantize the base to NF4 when asked,
// attach an adapter), and load the folder's tokenizer.
import { quantSchema } from '../../../shared/config/quant';
import { selectBackend, type Tf } from '../backend';
import { checkModelFitsAdapter } from '../backends/webgpu-limits';
import { loadTokenizer, type HfTokenizer } from '../io/tokenizer/index';
import type { LoadedModel } from '../models/load-model';
import { openModel } from './open-model';

export interface ModelSession {
  tf: Tf;
  loaded: LoadedModel;
  tokenizer: HfTokenizer | null;
  /** "llama model, 4,000,000 parameters; lora adapter on 28 modules, loaded in 120 ms on wasm" */
  description: string;
  close(): void;
}

export interface SessionOptions {
  model: string;
  adapter: string | null;
  quantize: 'nf4' | null;
  doubleQuant: boolean;
  backend?: string;
}

export async function openModelSession(options: SessionOptions): Promise<ModelSession> {
  const selection = await selectBackend({ prefer: options.backend });
  // On webgpu, every weight must fit the adapter's buffer limits: told from the headers, before loading.
  checkModelFitsAdapter(selection.webgpu, options.model);
  const started = Date.now();
  const quant = options.quantize === null ? null : quantSchema.parse({ type: options.quantize, double_quant: options.doubleQuant });
  const opened = await openModel(selection.tf, { model: options.model, adapter: options.adapter, quant });
  let tokenizer: HfTokenizer | null;
  try {
    tokenizer = await loadTokenizer(options.model);
  } catch (err) {
    opened.close();
    throw err;
  }
  return {
    tf: selection.tf,
    loaded: opened.loaded,
    tokenizer,
    description: `${opened.describe()}, loaded in ${Date.now() - started} ms on ${selection.backend}`,
    close: () => opened.close(),
  };
}
