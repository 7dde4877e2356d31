// Runs a built-in toy model (`model: builtin:<name>` in a run config) on the
// run's data. These exist so the whole path — CLI/UI, supervisor, engine,
// registry, live chart — can be exercised in seconds without a model folder.
import { readFileSync } from 'node:fs';
import type { RunConfig } from '../../../shared/config/run-config';
import type { Tf } from '../backend';
import { trainCharMlp } from './char-mlp';

export interface BuiltinHooks {
  onStep: (s: { step: number; loss: number; tokens: number }) => void | Promise<void>;
  shouldStop: () => boolean;
}

export const BUILTIN_MODELS = ['builtin:char-mlp'] as const;

/** Reads the `text` of every JSON line; names the file and line on a bad line. */
export function readTextLines(path: string): string[] {
  const texts: string[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch {
        throw new Error(`${path}:${i + 1}: not valid JSON`);
      }
      const text = (row as { text?: unknown }).text;
      if (typeof text !== 'string') throw new Error(`${path}:${i + 1}: expected an object with a "text" string`);
      texts.push(text);
    });
  if (texts.length === 0) throw new Error(`${path}: no training lines`);
  return texts;
}

export async function trainBuiltin(
  config: RunConfig,
  tf: Tf,
  hooks: BuiltinHooks,
): Promise<'completed' | 'stopped'> {
  if (config.model !== 'builtin:char-mlp') {
    throw new Error(
      `model "${config.model}": this build trains only the built-in toy models (${BUILTIN_MODELS.join(', ')}); ` +
        'Hugging Face model folders arrive with the model runtime',
    );
  }
  const texts = readTextLines(config.data.train);
  const result = await trainCharMlp({
      tf,
      texts,
      steps: config.train.steps,
      batchSize: config.train.batch_size,
      lr: config.train.lr,
      seed: config.train.seed,
      // Sized so a step takes ~30 ms on wasm: long enough to watch, short enough to demo.
      context: 8,
      embed: 32,
      hidden: 256,
      onStep: hooks.onStep,
      shouldStop: hooks.shouldStop,
    });
  return result.stopped ? 'stopped' : 'completed';
}
