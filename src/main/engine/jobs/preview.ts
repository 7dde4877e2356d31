// The data preview (data.preview): the first examples of a data file exactly as
// training encodes them, and every line that would fail. Loading a tokenizer.json
// (megabytes for a large vocabulary) and encoding are real work, so they run here,
// in an engine process, never in Electron main or the `loralab ui` server. The
// editor asks again on every change of the data path or max_seq_len, so one engine
// stays up as the preview server (engine/process.ts) with the tokenizers it loaded.
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DataPreview, DataPreviewRequest } from '../../../shared/ipc/workbench-schemas';
import { LoraLabError } from '../../../shared/ipc/result';
import { dataLines, parseJsonLine } from '../data/jsonl';
import { encodeExample, IGNORE_INDEX, loadTokenizer, type HfTokenizer } from '../io/tokenizer/index';

const TOKENIZERS_KEPT = 4;
const tokenizers = new Map<string, Promise<HfTokenizer | null>>();

function cachedTokenizer(model: string): Promise<HfTokenizer | null> {
  let t = tokenizers.get(model);
  if (!t) {
    t = loadTokenizer(model);
    tokenizers.set(model, t);
    t.catch(() => tokenizers.delete(model));
    if (tokenizers.size > TOKENIZERS_KEPT) tokenizers.delete(tokenizers.keys().next().value!);
  }
  return t;
}

const isModelDir = (dir: string) => statSync(join(dir, 'config.json'), { throwIfNoEntry: false })?.isFile() === true;

export async function previewData(req: DataPreviewRequest): Promise<DataPreview> {
  const model = resolve(req.model);
  const file = resolve(req.file);
  if (!isModelDir(model)) throw new LoraLabError('VALIDATION', `model: ${model} is not a model folder (no config.json)`, [{ path: 'model', message: 'not a model folder' }]);
  const tokenizer = await cachedTokenizer(model);
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
