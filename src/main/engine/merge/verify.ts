// Checks a merge by running both models: the base with the adapter(s) attached
// and the merged folder, on a few seeded sample sequences, and reports the
// largest absolute difference between their logits. QLoRA's merge report runs the
// same comparison against the NF4 base (prepareBase quantizes it first).
import { loadAdapter, type AttachedAdapter } from '../adapters/index';
import type { Tf } from '../backend';
import type { DecoderModel } from '../models/decoder/decoder';
import { loadModel, type LoadedModel } from '../models/load-model';
import { createRng } from '../train/rng';
import type { AdapterInput } from './deltas';

export interface VerifyResult {
  maxAbsLogitDiff: number;
  sequences: number;
  tokens: number;
}

/** The logits of base + adapters against the merged model's, over every position × vocabulary entry. */
export interface LogitComparison {
  maxAbsDiff: number;
  meanAbsDiff: number;
  /** The largest |logit| of the reference (base + adapters), to put maxAbsDiff in proportion. */
  maxAbsReference: number;
  sequences: number;
  tokens: number;
}

export function sampleSequences(vocab: number, count: number, length: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => Array.from({ length }, () => rng.int(vocab)));
}

/**
 * Base (changed by `prepareBase`, e.g. quantized) with the adapters attached at
 * their weights, against the merged folder. Whatever was loaded is freed on every
 * path, also when a load or an attach fails halfway.
 */
export async function compareMergedLogits(
  tf: Tf,
  base: string,
  adapters: readonly AdapterInput[],
  merged: string,
  prepareBase?: (model: DecoderModel) => Promise<unknown>,
): Promise<LogitComparison> {
  let reference: LoadedModel | undefined;
  let result: LoadedModel | undefined;
  const attached: AttachedAdapter[] = [];
  try {
    reference = loadModel(tf, base);
    await prepareBase?.(reference.model);
    for (const a of adapters) {
      const handle = loadAdapter(tf, a.dir, reference.model);
      attached.push(handle);
      for (const layer of handle.layers) layer.scaling *= a.weight;
    }
    result = loadModel(tf, merged);
    const length = Math.min(32, reference.spec.maxPositions);
    const sequences = sampleSequences(reference.spec.vocab, 4, length, 7);
    let worst = 0;
    let sum = 0;
    let count = 0;
    let scale = 0;
    for (const seq of sequences) {
      // The three reductions come back as one small tensor, read with data() (every backend, webgpu too).
      let n = 0;
      const stats = tf.tidy(() => {
        const ref = reference!.model.forward([seq]);
        const diff = tf.abs(tf.sub(ref, result!.model.forward([seq])));
        n = diff.size;
        return tf.stack([tf.max(diff), tf.sum(diff), tf.max(tf.abs(ref))]);
      });
      const values = await stats.data().finally(() => stats.dispose());
      const [maxDiff, sumDiff, maxRef] = [values[0]!, values[1]!, values[2]!];
      worst = Math.max(worst, maxDiff);
      scale = Math.max(scale, maxRef);
      sum += sumDiff;
      count += n;
    }
    return { maxAbsDiff: worst, meanAbsDiff: sum / count, maxAbsReference: scale, sequences: sequences.length, tokens: sequences.length * length };
  } finally {
    attached.forEach((a) => a.detach());
    reference?.model.dispose();
    result?.model.dispose();
  }
}

export async function verifyMerge(tf: Tf, base: string, adapters: readonly AdapterInput[], merged: string): Promise<VerifyResult> {
  const c = await compareMergedLogits(tf, base, adapters, merged);
  return { maxAbsLogitDiff: c.maxAbsDiff, sequences: c.sequences, tokens: c.tokens };
}
