// Choosing the next token from one row of logits: greedy at temperature 0,
// otherwise softmax(logits / temperature) cut to the smallest set whose
// probability reaches top_p (nucleus sampling), drawn with the seeded RNG.
import type { Rng } from '../train/rng';

export interface SamplingOptions {
  /** 0 means greedy. */
  temperature: number;
  /** 1 keeps the whole distribution. */
  topP: number;
}

export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

export function sampleToken(logits: Float32Array, options: SamplingOptions, rng: Rng): number {
  if (options.temperature <= 0) return argmax(logits);
  const max = logits[argmax(logits)]!;
  const probs = new Float64Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += probs[i] = Math.exp((logits[i]! - max) / options.temperature);
  const order = Array.from(probs.keys()).sort((a, b) => probs[b]! - probs[a]!);
  // Keep tokens until the kept mass reaches top_p (at least one).
  let kept = 0;
  let mass = 0;
  while (kept < order.length && (kept === 0 || mass < options.topP * total)) mass += probs[order[kept++]!]!;
  let r = rng.next() * mass;
  for (let k = 0; k < kept; k++) {
    r -= probs[order[k]!]!;
    if (r < 0) return order[k]!;
  }
  return order[kept - 1]!;
}
