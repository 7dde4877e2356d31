// JSON files written the way Hugging Face tools write them (indent 2, keys
// sorted, trailing newline), durably: written, fsynced, then closed.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export function writeJsonFile(file: string, value: unknown, options: { sort?: boolean } = {}): void {
  const text = JSON.stringify(options.sort === false ? value : sortKeys(value), null, 2) + '\n';
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
