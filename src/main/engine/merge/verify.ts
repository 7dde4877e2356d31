// Checks a merge by running both models: the base with the adapter(s) attached
// and the merged folder, on a few seeded sample sequences, and reports the
// largest absolute difference between their logits.
import { loadAdapter } from '../adapters/index';
import type { Tf } from '../backend';
import { loadModel } from '../models/load-model';
import { createRng } from '../train/rng';
import type { AdapterInput } from './deltas';

export interface VerifyResult {
  maxAbsLogitDiff: number;
  sequences: number;
  tokens: number;
}

export function sampleSequences(vocab: number, count: number, length: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => Array.from({ length }, () => rng.int(vocab)));
}

export function verifyMerge(tf: Tf, base: string, adapters: readonly AdapterInput[], merged: string): VerifyResult {
  const reference = loadModel(tf, base);
  const attached = adapters.map((a) => {
    const handle = loadAdapter(tf, a.dir, reference.model);
    for (const layer of handle.layers) layer.scaling *= a.weight;
    return handle;
  });
  const result = loadModel(tf, merged);
  try {
    const length = Math.min(32, reference.spec.maxPositions);
    const sequences = sampleSequences(reference.spec.vocab, 4, length, 7);
    let worst = 0;
    for (const seq of sequences) {
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(reference.model.forward([seq]), result.model.forward([seq])))));
      worst = Math.max(worst, diff.dataSync()[0]!);
      diff.dispose();
    }
    return { maxAbsLogitDiff: worst, sequences: sequences.length, tokens: sequences.length * length };
  } finally {
    attached.forEach((a) => a.detach());
    reference.model.dispose();
    result.model.dispose();
  }
}
