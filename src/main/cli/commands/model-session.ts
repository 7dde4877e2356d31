// Shared set-up of the commands that run a model (eval, generate): pick the
// backend, load the model folder and its tokenizer, attach an adapter if asked,
// and say what was loaded on stderr.
import { loadAdapter, type AttachedAdapter } from '../../engine/adapters/index';
import { selectBackend, type Tf } from '../../engine/backend';
import { loadTokenizer, type HfTokenizer } from '../../engine/io/tokenizer/index';
import { loadModel, type LoadedModel } from '../../engine/models/load-model';
import { str, UsageError, type Parsed } from '../args';

export interface ModelSession {
  tf: Tf;
  loaded: LoadedModel;
  tokenizer: HfTokenizer | null;
  adapter: AttachedAdapter | null;
  close(): void;
}

export async function openModelSession(args: Parsed): Promise<ModelSession> {
  const modelDir = str(args, 'model');
  if (!modelDir) throw new UsageError('--model <dir> is required (a Hugging Face model folder)');
  if (str(args, 'quantize') !== undefined) {
    throw new UsageError('--quantize nf4 is not available yet in this build (QLoRA arrives with its own issue)');
  }
  const selection = await selectBackend({ prefer: str(args, 'backend') });
  const started = Date.now();
  const loaded = loadModel(selection.tf, modelDir);
  const tokenizer = await loadTokenizer(modelDir);
  const adapterDir = str(args, 'adapter');
  let adapter: AttachedAdapter | null = null;
  try {
    adapter = adapterDir ? loadAdapter(selection.tf, adapterDir, loaded.model) : null;
  } catch (err) {
    loaded.model.dispose();
    throw err;
  }
  const params = loaded.model.numParams().toLocaleString('en-US');
  process.stderr.write(
    `${loaded.spec.modelType} model, ${params} parameters, loaded in ${Date.now() - started} ms on ${selection.backend}` +
      `${adapter ? `; ${adapter.peftType} adapter on ${adapter.layers.length} modules` : ''}\n`,
  );
  return {
    tf: selection.tf,
    loaded,
    tokenizer,
    adapter,
    close() {
      adapter?.detach();
      loaded.model.dispose();
    },
  };
}
