// Test helper: the fixture tokenizers (see make-fixtures.ts), from disk or as
// in-memory TokenizerFiles with config fields overridden, and a scratch folder.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTokenizer, type HfTokenizer, type TokenizerFiles } from '../hf-tokenizer';
import type { JsonFile } from '../special-tokens';

export type FixtureName = 'gpt2-tiny' | 'llama-tiny';

export function fixtureDir(name: FixtureName): string {
  return path.join(__dirname, name);
}

function readJson(name: FixtureName, file: string): JsonFile | null {
  const p = path.join(fixtureDir(name), file);
  try {
    return { file: p, json: JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown> };
  } catch {
    return null;
  }
}

/** A fixture's files, parsed, with tokenizer_config.json fields replaced (undefined deletes a field). */
export function fixtureFiles(name: FixtureName, configOverrides: Record<string, unknown> = {}): TokenizerFiles {
  const config = readJson(name, 'tokenizer_config.json')!;
  const json = { ...config.json, ...configOverrides };
  for (const [k, v] of Object.entries(configOverrides)) if (v === undefined) delete json[k];
  return {
    tokenizer: readJson(name, 'tokenizer.json')!,
    config: { file: config.file, json },
    specialTokensMap: readJson(name, 'special_tokens_map.json'),
    generationConfig: readJson(name, 'generation_config.json'),
    chatTemplateFile: null,
  };
}

export function fixtureTokenizer(name: FixtureName, configOverrides: Record<string, unknown> = {}): HfTokenizer {
  return createTokenizer(fixtureFiles(name, configOverrides));
}

/** A fresh temporary folder and a function that removes it. */
export function scratchDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loralab-tokenizer-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
