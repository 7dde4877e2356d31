// Writes a runtime model as a Hugging Face model folder: config.json and the
// tokenizer/generation files copied from the folder it came from, and
// model.safetensors with every weight under its checkpoint name, in the
// checkpoint's layout ([out, in] for nn.Linear), float32.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeSafetensors, type TensorToWrite } from '../io/safetensors/index';
import { writeJsonFile } from '../io/json-file';
import { readModelConfigJson } from './config-json';
import type { DecoderModel } from './decoder/decoder';
import { transpose2d } from './decoder/load';

/** Files of a model folder other than config.json and the weights, copied as they are. */
export const MODEL_SIDE_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'generation_config.json',
  'chat_template.jinja',
  'tokenizer.model',
];

export function copySideFiles(from: string, to: string): void {
  for (const f of MODEL_SIDE_FILES) if (existsSync(join(from, f))) copyFileSync(join(from, f), join(to, f));
}

/** Weights are read one at a time with data() (every backend, webgpu too), so one host copy is in flight. */
export async function saveModelFolder(dir: string, model: DecoderModel, sourceDir: string): Promise<void> {
  const tensors: TensorToWrite[] = [];
  for (const slot of model.slots()) {
    const t = slot.get();
    let data = (await t.data()) as Float32Array;
    let shape = t.shape;
    if (slot.transposeOnSave) {
      const [rows, cols] = t.shape as [number, number];
      data = transpose2d(data, rows, cols);
      shape = [cols, rows];
    }
    tensors.push({ name: slot.name, dtype: 'F32', shape, data });
  }
  writeSafetensors(join(dir, 'model.safetensors'), tensors);
  writeJsonFile(join(dir, 'config.json'), { ...readModelConfigJson(sourceDir).raw, torch_dtype: 'float32' });
  copySideFiles(sourceDir, dir);
}
