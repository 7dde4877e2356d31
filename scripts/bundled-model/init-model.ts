// Writes a freshly initialised model folder for pretraining: the bundled model's
// config with Hugging Face Llama's initialisation (every linear and embedding
// weight ~ N(0, initializer_range²), RMSNorm weights 1), from a fixed seed.
// Run: npx tsx scripts/bundled-model/init-model.ts <out-dir>
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeSafetensors } from '../../src/main/engine/io/safetensors/index';
import { writeJsonFile } from '../../src/main/engine/io/json-file';
import { llama } from '../../src/main/engine/models/llama';
import { createRng } from '../../src/main/engine/train/rng';
import { LAB_TINY_LLAMA_CONFIG, LAB_TINY_LLAMA_GENERATION } from './model-config';

export const TOKENIZER_DIR = join(__dirname, '..', '..', 'resources', 'models', 'lab-tiny-llama');
const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];

export function initModel(out: string, seed = 1234): void {
  mkdirSync(out, { recursive: true });
  const spec = llama.parseConfig(LAB_TINY_LLAMA_CONFIG, 'lab-tiny-llama config');
  const rng = createRng(seed);
  const std = LAB_TINY_LLAMA_CONFIG.initializer_range;
  writeSafetensors(
    join(out, 'model.safetensors'),
    llama.tensorShapes(spec).map(({ name, shape, kind }) => {
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      if (kind === 'norm') data.fill(1);
      else for (let i = 0; i < data.length; i++) data[i] = rng.normal() * std;
      return { name, dtype: 'F32' as const, shape, data };
    }),
  );
  writeJsonFile(join(out, 'config.json'), LAB_TINY_LLAMA_CONFIG);
  writeJsonFile(join(out, 'generation_config.json'), LAB_TINY_LLAMA_GENERATION);
  for (const f of TOKENIZER_FILES) copyFileSync(join(TOKENIZER_DIR, f), join(out, f));
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: npx tsx scripts/bundled-model/init-model.ts <out-dir>');
  initModel(out);
  console.log(`wrote an initialised lab-tiny-llama to ${out}`);
}
