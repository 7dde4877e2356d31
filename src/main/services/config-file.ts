// Reads a run config file (YAML or JSON) and validates it against the one schema
// in src/shared. Every problem names the file and the config path.
import { readFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { runConfigSchema, type RunConfig } from '../../shared/config/run-config';
import { formatPath } from '../../shared/ipc/result';
import { notValidJson } from '../../shared/json-error';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function parseRunConfig(raw: unknown, source: string): RunConfig {
  const parsed = runConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${formatPath('', i.path).replace(/^\./, '') || '(root)'}: ${i.message}`);
  throw new ConfigError(`${source}: invalid run config\n${lines.join('\n')}`);
}

export function readRunConfigFile(path: string): { config: RunConfig; baseDir: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${path}: cannot read the config file (${(err as NodeJS.ErrnoException).code})`);
  }
  let raw: unknown;
  try {
    raw = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    // Where, not what: V8's JSON message quotes the text and yaml's adds a code frame of it.
    if (extname(path).toLowerCase() === '.json') throw new ConfigError(`${path}: ${notValidJson(err, text)}`);
    const at = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const what = ((err as Error).message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${path}: not valid YAML${at ? ` at line ${at.line}, column ${at.col}` : ''} (${what})`);
  }
  return { config: parseRunConfig(raw, path), baseDir: dirname(path) };
}
