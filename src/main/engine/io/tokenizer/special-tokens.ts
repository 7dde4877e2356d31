// Which strings are a model's bos/eos/unk/pad tokens, whether it wants bos/eos
// added, and which ids end generation: read from tokenizer_config.json,
// special_tokens_map.json and generation_config.json. Pure: the objects come
// already parsed, and every bad field is reported with its file and key.
import { TokenizerError } from './errors';

export type JsonObject = Record<string, unknown>;

/** A parsed JSON file and the path it came from (for messages). */
export interface JsonFile {
  file: string;
  json: JsonObject;
}

export interface SpecialTokens {
  bos: string | null;
  eos: string | null;
  unk: string | null;
  pad: string | null;
  additional: string[];
  /** tokenizer_config's add_bos_token / add_eos_token; null where it does not say. */
  addBos: boolean | null;
  addEos: boolean | null;
}

const NAMES = ['bos', 'eos', 'unk', 'pad'] as const;

/**
 * special_tokens_map.json wins over tokenizer_config.json where both name a
 * token, as in transformers' from_pretrained; usually they agree.
 */
export function resolveSpecialTokens(config: JsonFile | null, map: JsonFile | null): SpecialTokens {
  const pick = (key: string): string | null => {
    for (const source of [map, config]) {
      if (source && source.json[key] !== undefined) {
        const value = tokenString(source.json[key], source.file, key);
        if (value !== null) return value;
      }
    }
    return null;
  };
  const tokens = Object.fromEntries(NAMES.map((n) => [n, pick(`${n}_token`)])) as Record<(typeof NAMES)[number], string | null>;
  const additional: string[] = [];
  for (const source of [config, map]) {
    const list = source?.json.additional_special_tokens;
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw malformed(source!.file, 'additional_special_tokens must be a list of tokens');
    for (const [i, entry] of list.entries()) {
      const s = tokenString(entry, source!.file, `additional_special_tokens[${i}]`);
      if (s !== null && !additional.includes(s)) additional.push(s);
    }
  }
  return {
    ...tokens,
    additional,
    addBos: optionalBoolean(config, 'add_bos_token'),
    addEos: optionalBoolean(config, 'add_eos_token'),
  };
}

/** generation_config.json's eos_token_id: one id or a list (Llama 3 stops on several). */
export function generationIds(generation: JsonFile | null, key: 'eos_token_id' | 'bos_token_id'): number[] {
  const value = generation?.json[key];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const id of list) {
    if (!Number.isSafeInteger(id) || (id as number) < 0) {
      throw malformed(generation!.file, `${key} must be a token id or a list of token ids, got ${JSON.stringify(value)}`);
    }
  }
  return list as number[];
}

/** A token is written as a string or as an AddedToken object {content, …}. */
function tokenString(value: unknown, file: string, key: string): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && typeof (value as { content?: unknown }).content === 'string') {
    return (value as { content: string }).content;
  }
  throw malformed(file, `${key} must be a string or an object with a string "content", got ${JSON.stringify(value)}`);
}

function optionalBoolean(source: JsonFile | null, key: string): boolean | null {
  const value = source?.json[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'boolean') throw malformed(source!.file, `${key} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function malformed(file: string, what: string): TokenizerError {
  return new TokenizerError(`${file}: ${what}`, 'TOKENIZER_MALFORMED', file);
}
