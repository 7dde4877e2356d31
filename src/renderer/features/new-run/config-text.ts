// The config editor's text, both ways: parse it (YAML, or JSON — JSON is YAML 1.2)
// and check it with the real zod schema, each problem placed on the line and
// column of the offending key or value; and set one field from the form while
// keeping the user's comments and layout (the `yaml` package's Document API).
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, stringify, type Document, type Node } from 'yaml';
import { runConfigSchema, type RunConfig, type RunConfigInput } from '../../../shared/config/run-config';

export type ConfigFormat = 'yaml' | 'json';
export type ConfigPath = ReadonlyArray<string | number>;

export interface ConfigProblem {
  /** Dotted config path ("lora.r"); "" for the whole document. */
  path: string;
  message: string;
  /** 1-based, as Monaco's markers count. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  source: 'syntax' | 'config';
}

export interface CheckedConfig {
  /** The document as plain data (whatever it holds, valid or not). */
  value: unknown;
  /** The validated config (defaults applied), or null when there is any problem. */
  config: RunConfig | null;
  problems: ConfigProblem[];
}

export function checkConfigText(text: string): CheckedConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (start: number, end: number) => {
    const a = lines.linePos(start);
    const b = lines.linePos(Math.max(end, start + 1));
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
  const syntax = doc.errors.map<ConfigProblem>((e) => ({ path: '', message: e.message.split('\n')[0]!, source: 'syntax', ...at(e.pos[0], e.pos[1]) }));
  if (syntax.length > 0) return { value: null, config: null, problems: syntax };

  const value: unknown = doc.toJS() ?? {};
  const parsed = runConfigSchema.safeParse(value);
  if (parsed.success) return { value, config: parsed.data, problems: [] };
  const problems = parsed.error.issues.map<ConfigProblem>((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    // An unknown key: point at the key itself, not at the object holding it.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const [start, end] = locate(doc, keys.length > 0 ? [...path, keys[0]!] : path, keys.length > 0);
    const where = path.join('.');
    const message = keys.length > 0 ? `unknown key ${keys.map((k) => `"${k}"`).join(', ')}${where ? ` in ${where}` : ''}` : issue.message;
    return { path: where, message, source: 'config', ...at(start, end) };
  });
  return { value, config: null, problems };
}

/** The text range of the node at `path` (its key when `key`), else of its nearest existing parent's key. */
function locate(doc: Document, path: ConfigPath, key = false): [number, number] {
  let node: unknown = doc.contents;
  let range: [number, number] = rangeOf(doc.contents) ?? [0, 0];
  // A key that is missing is marked at its parent's key ("data:" for data.train).
  let parentKey: [number, number] | null = null;
  for (const [i, segment] of path.entries()) {
    if (!isMap(node) && !(isNode(node) && 'items' in node)) break;
    const items = (node as { items: unknown[] }).items;
    const pair = isMap(node) ? items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment)) : undefined;
    if (isMap(node)) {
      if (!isPair(pair)) {
        if (parentKey) range = parentKey;
        break;
      }
      const last = i === path.length - 1;
      const keyRange = rangeOf(pair.key);
      parentKey = keyRange;
      range = (last && key) || !pair.value ? (keyRange ?? range) : (rangeOf(pair.value) ?? keyRange ?? range);
      node = pair.value;
    } else {
      const item = items[Number(segment)];
      if (!item) break;
      range = rangeOf(item) ?? range;
      node = item;
    }
  }
  return range;
}

function rangeOf(node: unknown): [number, number] | null {
  if (!isNode(node)) return null;
  const r = (node as Node).range;
  return r ? [r[0], r[1]] : null;
}

export type ConfigEdit = readonly [path: ConfigPath, value: unknown];

/** The text with one field set (or removed, for `undefined`), comments and key order kept. */
export function setConfigField(text: string, format: ConfigFormat, path: ConfigPath, value: unknown): string {
  return setConfigFields(text, format, [[path, value]]);
}

/** The text with several fields set or removed in one step. */
export function setConfigFields(text: string, format: ConfigFormat, edits: readonly ConfigEdit[]): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`the config does not parse (${doc.errors[0]!.message.split('\n')[0]}); fix it in the editor first`);
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as never;
  for (const [path, value] of edits) {
    if (value === undefined) doc.deleteIn(path);
    else doc.setIn(path, value);
  }
  if (format === 'json') return `${JSON.stringify(doc.toJS(), null, 2)}\n`;
  return doc.toString();
}

/** The same config in the other notation. YAML → JSON drops comments (JSON has none). */
export function convertConfigText(text: string, to: ConfigFormat): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`the config does not parse (${doc.errors[0]!.message.split('\n')[0]})`);
  const value = doc.toJS() ?? {};
  return to === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value);
}

/** A config object as editor text. */
export function configToText(config: RunConfigInput | Record<string, unknown>, format: ConfigFormat): string {
  return convertConfigText(JSON.stringify(config), format);
}

/** A value inside plain data, by path. */
export function getPath(value: unknown, path: ConfigPath): unknown {
  let node = value;
  for (const segment of path) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}
