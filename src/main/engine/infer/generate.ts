// Autoregressive generation with a key/value cache: the prompt is run once, then
// one token per step; each new token is handed to `onToken` as soon as it is
// chosen, so a terminal or UI can stream it.
import type { DecoderModel } from '../models/decoder/decoder';
import { disposeCache } from '../models/decoder/decoder';
import { createRng } from '../train/rng';
import { sampleToken, type SamplingOptions } from './sampling';

export interface GenerateOptions extends SamplingOptions {
  maxNewTokens: number;
  seed: number;
  /** Generation ends after any of these (the tokenizer's / generation_config's eos). */
  stopIds: readonly number[];
  onToken?: (id: number) => void;
  /** Checked before each new token: true ends generation early (a cancel). */
  shouldStop?: () => boolean;
  /**
   * Awaited after each token. tfjs's data() resolves through microtasks only, so
   * without a macrotask turn now and then an engine never sees a stop request.
   */
  yieldToEventLoop?: () => Promise<void>;
}

export async function generate(model: DecoderModel, promptIds: readonly number[], options: GenerateOptions): Promise<number[]> {
  if (promptIds.length === 0) throw new Error('generate needs at least one prompt token');
  const { tf } = model;
  const rng = createRng(options.seed);
  const cache = model.newCache(1);
  const out: number[] = [];
  try {
    let next: number[] = [...promptIds];
    for (let step = 0; step < options.maxNewTokens && !options.shouldStop?.(); step++) {
      const logits = model.forward([next], undefined, cache);
      const last = tf.tidy(() => logits.slice([0, next.length - 1, 0], [1, 1, -1]).reshape([-1]));
      logits.dispose();
      const row = (await last.data()) as Float32Array;
      last.dispose();
      const id = sampleToken(row, options, rng);
      out.push(id);
      options.onToken?.(id);
      if (options.stopIds.includes(id)) break;
      await options.yieldToEventLoop?.();
      next = [id];
    }
  } finally {
    disposeCache(cache);
  }
  return out;
}
