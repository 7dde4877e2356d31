// Complete validation of adapter folders before a merge writes anything, so a
// broken adapter never leaves a wrong model at --out. Checked, each against one
// source of truth:
//   - every tensor is a float dtype (PEFT saves adapters in float32/16/bf16);
//   - every adapted module has every tensor its method saves, in the shapes the
//     method's MethodInfo.tensors() gives for the module's rank and features
//     (LoRA: lora_A [r, in], lora_B [out, r]; AdaLoRA adds lora_E [r, 1] —
//     peft/tuners/lora/layer.py update_layer, peft/tuners/adalora/layer.py);
//   - for LoRA, adapter_config.json's rank (rank_pattern, else r) equals the rank
//     of the tensors, since the scaling α/r is computed from the config;
//   - every entry of a target_modules list names at least one module with tensors;
//   - every value is finite (PEFT's safe_merge refuses non-finite weights);
//   - every module exists in the base model with the shape the factors imply.
// Errors name the file, the tensor or key, and what was expected — never file bytes.
import { join } from 'node:path';
import { methodForPeftType as methodInfoFor } from '../../../shared/config/methods';
import { ADAPTER_CONFIG, ADAPTER_WEIGHTS, AdapterError, KEY_PREFIX, openAdapterWeights, patternValue, readAdapterConfig } from '../adapters/peft-files';
import { assertFiniteAdapter } from '../adapters/finite';
import { FLOAT_DTYPES, type SafetensorsFile } from '../io/safetensors/index';
import type { AdapterInput } from './deltas';

/** What the merge knows of a base weight: its tensor name, shape and whether it is a Conv1D ([in, out]). */
export interface BaseWeight {
  name: string;
  shape: readonly number[];
  conv1d: boolean;
}

export function validateAdapters(inputs: readonly AdapterInput[], base: ReadonlyMap<string, BaseWeight>): void {
  for (const { dir } of inputs) validateAdapter(dir, base);
}

function validateAdapter(dir: string, base: ReadonlyMap<string, BaseWeight>): void {
  const configFile = join(dir, ADAPTER_CONFIG);
  const weightsFile = join(dir, ADAPTER_WEIGHTS);
  const config = readAdapterConfig(dir);
  const info = methodInfoFor(config.peft_type);
  if (!info || info.peftType === null) {
    // An identifier is a type name worth showing; anything else is file content, described instead.
    const shown = /^[A-Za-z0-9_]{1,32}$/.test(config.peft_type) ? `"${config.peft_type}"` : 'an unknown value';
    throw new AdapterError(`${configFile}: peft_type ${shown} cannot be merged (LORA or ADALORA)`);
  }
  const weights = openAdapterWeights(dir);
  try {
    for (const t of weights.header.tensors.values()) {
      if (!(FLOAT_DTYPES as readonly string[]).includes(t.dtype)) {
        throw new AdapterError(`${weightsFile}: tensor "${t.name}" is ${t.dtype}; adapter weights must be float (${FLOAT_DTYPES.join(', ')})`);
      }
    }
    const suffixes = info.tensors('linear', 1, 1, 1).map((s) => s.suffix);
    const modules = groupModules(weights, suffixes, weightsFile);
    for (const [module, keys] of modules) {
      const shapeOf = (suffix: string) => weights.header.tensors.get(keys.get(suffix)!)!.shape;
      for (const s of suffixes) {
        if (!keys.has(s)) throw new AdapterError(`${weightsFile}: module "${module}" has no ${s} (${info.name} saves ${suffixes.join(', ')} for every module)`);
      }
      // The rank and features come from the first two factors (A: [r, in], B: [out, r]); every tensor must then agree.
      const [r, inF] = shapeOf(suffixes[0]!) as [number, number];
      const outF = shapeOf(suffixes[1]!)[0]!;
      for (const spec of info.tensors('linear', r, inF, outF)) {
        const got = shapeOf(spec.suffix);
        if (got.length !== spec.shape.length || got.some((d, i) => d !== spec.shape[i])) {
          throw new AdapterError(
            `${weightsFile}: tensor "${keys.get(spec.suffix)}" is [${got.join(', ')}], expected [${spec.shape.join(', ')}] ` +
              `(rank ${r} and ${inF} input features from ${suffixes[0]})`,
          );
        }
      }
      // A budgeted rank (AdaLoRA) lives in the tensors and rank_pattern; LoRA's scaling comes from the config's r.
      if (!info.budgetedRank) checkLoraRank(config, configFile, module, r);
      checkBase(base, module, inF, outF, weightsFile);
    }
    checkTargets(config, configFile, [...modules.keys()]);
    assertFiniteAdapter(dir, weights);
  } finally {
    weights.close();
  }
}

/** module path → suffix → key; a key that fits no suffix is named. */
function groupModules(weights: SafetensorsFile, suffixes: readonly string[], file: string): Map<string, Map<string, string>> {
  const byModule = new Map<string, Map<string, string>>();
  for (const key of weights.header.tensors.keys()) {
    const bare = key.startsWith(KEY_PREFIX) ? key.slice(KEY_PREFIX.length) : key;
    const suffix = suffixes.find((s) => bare.endsWith('.' + s));
    if (!suffix) throw new AdapterError(`${file}: tensor "${key}" is not one this adapter type saves (…${suffixes.map((s) => '.' + s).join(', …')})`);
    const module = bare.slice(0, -(suffix.length + 1));
    if (!byModule.has(module)) byModule.set(module, new Map());
    byModule.get(module)!.set(suffix, key);
  }
  if (byModule.size === 0) throw new AdapterError(`${file}: the adapter has no tensors`);
  return byModule;
}

function checkLoraRank(config: Record<string, unknown>, file: string, module: string, r: number): void {
  const pattern = patternValue(config.rank_pattern as Record<string, number> | undefined, module);
  const key = pattern === undefined ? '"r"' : `rank_pattern (for "${module}")`;
  const rank: unknown = pattern ?? config.r ?? 8;
  if (typeof rank !== 'number') throw new AdapterError(`${file}: ${key} must be a number (the rank), got ${Array.isArray(rank) ? 'a list' : rank === null ? 'null' : `a ${typeof rank}`}`);
  if (rank !== r) {
    throw new AdapterError(`${file}: ${key} is ${rank}, but the tensors of "${module}" have rank ${r}; the scaling α/r would be wrong`);
  }
}

function checkBase(base: ReadonlyMap<string, BaseWeight>, module: string, inF: number, outF: number, file: string): void {
  const w = base.get(module);
  if (!w) throw new AdapterError(`${file}: the adapter changes "${module}", which the base model does not have`);
  const [rows, cols] = w.conv1d ? [inF, outF] : [outF, inF];
  if (w.shape[0] !== rows || w.shape[1] !== cols) {
    throw new AdapterError(`${file}: "${module}" is ${inF} → ${outF} in the adapter, but the base weight "${w.name}" has shape [${w.shape.join(', ')}]`);
  }
}

/** PEFT's list rule: an entry matches a module whose path is the entry or ends with "." + entry. */
function checkTargets(config: Record<string, unknown>, file: string, modules: readonly string[]): void {
  const targets = config.target_modules;
  if (!Array.isArray(targets) || config.layers_to_transform != null) return;
  targets.forEach((t: unknown, i) => {
    if (typeof t !== 'string') return;
    if (!modules.some((m) => m === t || m.endsWith('.' + t))) {
      // A module name is shown; anything that is not one is file content, named by its place.
      const named = /^[A-Za-z0-9_.]{1,64}$/.test(t) ? `"${t}"` : `entry ${i}`;
      throw new AdapterError(`${file}: target_modules[${i}] names ${named}, but adapter_model.safetensors has no tensors for such a module`);
    }
  });
}
