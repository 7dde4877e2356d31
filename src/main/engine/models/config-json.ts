// The one reader of a model folder's config.json: loading, inspect, merge and
// saving all parse it here, so a missing or broken file reads the same everywhere.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelConfigError } from './architecture';
import { notValidJson } from '../../../shared/json-error';

export interface ModelConfigJson {
  file: string;
  raw: Record<string, unknown>;
}

export function readModelConfigJson(dir: string): ModelConfigJson {
  const file = join(dir, 'config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelConfigError(
      code === 'ENOENT' ? `${file}: not found; a Hugging Face model folder has a config.json` : `${file}: cannot read it (${code})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ModelConfigError(`${file}: ${notValidJson(err, text)}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ModelConfigError(`${file}: expected a JSON object`);
  return { file, raw: raw as Record<string, unknown> };
}
