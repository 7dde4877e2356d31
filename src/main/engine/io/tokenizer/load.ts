// Reads a Hugging Face model folder's tokenizer files: tokenizer.json (needed),
// tokenizer_config.json, special_tokens_map.json, generation_config.json and
// chat_template.jinja (each optional). A folder without tokenizer.json is a
// valid model for pre-tokenized data, so that is null, not an error.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { TokenizerError, errorMessage } from './errors';
import { createTokenizer, type HfTokenizer } from './hf-tokenizer';
import type { JsonFile } from './special-tokens';
import { notValidJson } from '../../../../shared/json-error';

export async function loadTokenizer(modelDir: string): Promise<HfTokenizer | null> {
  const dirStat = await stat(modelDir).catch(() => null);
  if (!dirStat?.isDirectory()) {
    throw new TokenizerError(`model folder ${modelDir} does not exist or is not a folder`, 'MODEL_DIR_NOT_FOUND', modelDir);
  }
  const file = (name: string): string => path.join(modelDir, name);
  const tokenizer = await readJsonFile(file('tokenizer.json'));
  if (!tokenizer) return null;
  const templateText = await readText(file('chat_template.jinja'));
  return createTokenizer({
    tokenizer,
    config: await readJsonFile(file('tokenizer_config.json')),
    specialTokensMap: await readJsonFile(file('special_tokens_map.json')),
    generationConfig: await readJsonFile(file('generation_config.json')),
    chatTemplateFile: templateText === null ? null : { file: file('chat_template.jinja'), text: templateText },
  });
}

/** A JSON object file, or null when absent; anything else is a TokenizerError naming the file. */
async function readJsonFile(file: string): Promise<JsonFile | null> {
  const text = await readText(file);
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TokenizerError(`${file} is ${notValidJson(err, text)}`, 'TOKENIZER_MALFORMED', file);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TokenizerError(`${file} must hold a JSON object`, 'TOKENIZER_MALFORMED', file);
  }
  return { file, json: json as Record<string, unknown> };
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return null;
    throw new TokenizerError(`${file} cannot be read: ${errorMessage(err)}`, 'TOKENIZER_MALFORMED', file);
  }
}
