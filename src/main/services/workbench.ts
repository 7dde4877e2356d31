// The workbench's helper services: the starter config (config.defaults), the
// model list (models.list) and the tokenized data preview (data.preview).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isScalar, parseDocument } from 'yaml';
import type { DataPreview, DataPreviewRequest, ModelEntry } from '../../shared/ipc/workbench-schemas';
import { LoraLabError } from '../../shared/ipc/result';
import type { HfTokenizer } from '../engine/io/tokenizer/index';
import { dataLines, parseJsonLine } from '../engine/data/jsonl';
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

// Loading a tokenizer.json (megabytes for a large vocabulary) is the costly part;
// the editor asks again on every change of the data path or max_seq_len.
const tokenizers = new Map<string, Promise<HfTokenizer | null>>();
function cachedTokenizer(model: string): Promise<HfTokenizer | null> {
  let t = tokenizers.get(model);
  if (!t) {
    // Loaded on first use: the app and the ui server start without the tokenizer library.
    t = import('../engine/io/tokenizer/index').then(({ loadTokenizer }) => loadTokenizer(model));
    tokenizers.set(model, t);
    t.catch(() => tokenizers.delete(model));
    if (tokenizers.size > 4) tokenizers.delete(tokenizers.keys().next().value!);
  }
  return t;
}

/** The first `limit` examples of a data file exactly as training encodes them, and every line that would fail. */
export async function previewData(req: DataPreviewRequest): Promise<DataPreview> {
  const model = resolve(req.model);
  const file = resolve(req.file);
  if (!isModelDir(model)) throw new LoraLabError('VALIDATION', `model: ${model} is not a model folder (no config.json)`, [{ path: 'model', message: 'not a model folder' }]);
  const tokenizer = await cachedTokenizer(model);
  const { encodeExample, IGNORE_INDEX } = await import('../engine/io/tokenizer/index');
  const preview: DataPreview = { examples: [], total: 0, errors: [] };
  // Read with the engine's limits (regular files only, bounded size and line length),
  // so a path such as /dev/zero cannot grow this process; errors name file:line, not bytes.
  const lines = dataLines(file);
  for (;;) {
    let next: IteratorResult<{ line: number; text: string }>;
    try {
      next = lines.next();
    } catch (err) {
      const message = (err as Error).message;
      throw new LoraLabError('VALIDATION', `file: ${message}`, [{ path: 'file', message }]);
    }
    if (next.done) break;
    const { line, text: lineText } = next.value;
    preview.total++;
    try {
      const ex = encodeExample(tokenizer, parseJsonLine(lineText, { file, line }), { file, line });
      if (preview.examples.length >= req.limit) continue;
      const n = Math.min(ex.inputIds.length, req.maxSeqLen);
      preview.examples.push({
        line,
        truncated: ex.inputIds.length > req.maxSeqLen,
        tokens: ex.inputIds.slice(0, n).map((id, k) => ({
          id,
          text: tokenizer ? tokenizer.decode([id]) : String(id),
          // The loss predicts token k from the tokens before it, so the first token is never learned.
          learned: k > 0 && ex.labels[k] !== IGNORE_INDEX,
        })),
      });
    } catch (err) {
      if (preview.errors.length < 50) preview.errors.push({ line, message: (err as Error).message });
    }
  }
  return preview;
}
