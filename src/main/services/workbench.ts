// The workbench's helper services: the starter config (config.defaults) and the
// model list (models.list). The tokenized data preview (data.preview) loads a
// tokenizer, so it runs in an engine process (preview.ts, engine/jobs/preview.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { isMap, isScalar, parseDocument } from 'yaml';
import type { ModelEntry } from '../../shared/ipc/workbench-schemas';
import type { Registry } from '../registry/index';
import { parseRunConfig } from './config-file';
import { resourcesDir } from './paths';
import { resolveConfigPaths } from './runs';

export const starterConfigPath = (resources = resourcesDir()): string => join(resources, 'configs', 'starter.yaml');

/** The starter config with absolute paths, as an object and as YAML text that keeps the file's comments. */
export function configDefaults(file = starterConfigPath()): { config: Record<string, unknown>; yaml: string } {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const config = resolveConfigPaths(parseRunConfig(doc.toJS(), file), dirname(file));
  doc.set('model', config.model);
  doc.setIn(['data', 'train'], config.data.train);
  if (config.data.eval !== null) doc.setIn(['data', 'eval'], config.data.eval);
  // The header comment speaks of paths relative to the file; these are absolute now.
  doc.commentBefore = ' The starter run: LoRA on the bundled base model (lab-tiny-llama) with the\n bundled demo data (a number in words; only the answer is learned).';
  // The file's own header is parsed onto the first key; drop it so it is not shown twice.
  const first = isMap(doc.contents) ? doc.contents.items[0] : undefined;
  if (first && isScalar(first.key)) first.key.commentBefore = undefined;
  return { config: config as unknown as Record<string, unknown>, yaml: doc.toString() };
}

/** A model folder's config.json model_type, or null when it has none (or no readable config.json). */
function modelTypeOf(dir: string): string | null {
  try {
    const raw = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { model_type?: unknown };
    return typeof raw.model_type === 'string' ? raw.model_type : null;
  } catch {
    return null;
  }
}

const isModelDir = (dir: string) => statSync(join(dir, 'config.json'), { throwIfNoEntry: false })?.isFile() === true;

/** Bundled models (resources/models) first, then the model folders of this registry's runs, newest first. */
export function listModels(registry: Registry, resources = resourcesDir()): ModelEntry[] {
  const out: ModelEntry[] = [];
  const seen = new Set<string>();
  const bundled = join(resources, 'models');
  let names: string[] = [];
  try {
    names = readdirSync(bundled).sort();
  } catch {
    // No bundled models in this build.
  }
  for (const name of names) {
    const path = join(bundled, name);
    if (!isModelDir(path)) continue;
    seen.add(path);
    out.push({ path, name, source: 'bundled', modelType: modelTypeOf(path) });
  }
  const recent = [
    ...registry.runs.list({ limit: 200 }).map((r) => r.config.model),
    ...registry.artifacts.list({ limit: 200 }).filter((a) => a.kind === 'merged-model' || a.kind === 'model').map((a) => a.path),
  ];
  for (const p of recent) {
    if (typeof p !== 'string' || !isAbsolute(p) || seen.has(p) || !isModelDir(p)) continue;
    seen.add(p);
    out.push({ path: p, name: basename(p), source: 'recent', modelType: modelTypeOf(p) });
  }
  return out;
}
