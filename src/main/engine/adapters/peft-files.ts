// What every PEFT adapter folder shares (peft/utils/save_and_load.py): adapter_config.json plus
// adapter_model.safetensors whose keys are `base_model.model.<module path>.<tensor>`.
// Method folders (lora/, adalora/) build their layers from what this reads.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SafetensorsFile } from '../io/safetensors/index';
import { notValidJson } from '../../../shared/json-error';

export const ADAPTER_CONFIG = 'adapter_config.json';
export const ADAPTER_WEIGHTS = 'adapter_model.safetensors';
export const KEY_PREFIX = 'base_model.model.';

export class AdapterError extends Error {
  override readonly name = 'AdapterError';
}

export function readAdapterConfig(dir: string): Record<string, unknown> & { peft_type: string } {
  const file = join(dir, ADAPTER_CONFIG);
  if (!existsSync(file)) throw new AdapterError(`${dir}: not a PEFT adapter folder (no ${ADAPTER_CONFIG})`);
  let json: unknown;
  const text = readFileSync(file, 'utf8');
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AdapterError(`${file}: ${notValidJson(err, text)}`);
  }
  const peftType = (json as { peft_type?: unknown } | null)?.peft_type;
  if (typeof peftType !== 'string') throw new AdapterError(`${file}: key "peft_type" is missing (PEFT requires it)`);
  return json as Record<string, unknown> & { peft_type: string };
}

export function openAdapterWeights(dir: string): SafetensorsFile {
  const file = join(dir, ADAPTER_WEIGHTS);
  if (!existsSync(file)) {
    if (existsSync(join(dir, 'adapter_model.bin'))) {
      throw new AdapterError(
        `${dir}: adapter_model.bin is a pickled PyTorch file; LoRA Lab refuses pickles because loading them executes code. ` +
          'Convert it in Python: PeftModel.from_pretrained(base, dir).save_pretrained(out, safe_serialization=True)',
      );
    }
    throw new AdapterError(`${dir}: no ${ADAPTER_WEIGHTS}`);
  }
  return SafetensorsFile.open(file);
}

/**
 * Groups adapter tensors by module: `base_model.model.<module>.<suffix>` → module → suffix → key.
 * Keys without the prefix are accepted too, as PEFT's loader does.
 */
export function groupByModule(keys: Iterable<string>, suffixes: readonly string[]): Map<string, Map<string, string>> {
  const byModule = new Map<string, Map<string, string>>();
  for (const key of keys) {
    const bare = key.startsWith(KEY_PREFIX) ? key.slice(KEY_PREFIX.length) : key;
    const suffix = suffixes.find((s) => bare.endsWith('.' + s));
    if (!suffix) throw new AdapterError(`adapter tensor "${key}" is not one LoRA Lab can load (expected …${suffixes.map((s) => '.' + s).join(', …')})`);
    const module = bare.slice(0, -(suffix.length + 1));
    if (!byModule.has(module)) byModule.set(module, new Map());
    byModule.get(module)!.set(suffix, key);
  }
  return byModule;
}

/** PEFT's get_pattern_key: the first pattern key k for which `(.*\.)?(k)$` matches the module. */
export function patternValue<T>(patterns: Record<string, T> | null | undefined, module: string): T | undefined {
  for (const [k, v] of Object.entries(patterns ?? {})) {
    if (new RegExp(`(.*\\.)?(${k})$`).test(module)) return v;
  }
  return undefined;
}

export const num = (config: Record<string, unknown>, key: string, fallback: number): number => {
  const v = config[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new AdapterError(`${ADAPTER_CONFIG}: key "${key}" must be a number, got ${JSON.stringify(v)}`);
  return v;
};
