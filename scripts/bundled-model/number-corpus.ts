// The number knowledge the bundled base model is pretrained on, beside the Brown
// corpus: prose sentences that give a number in digits and then in words
// ("He counted 4721 votes, that is, four thousand seven hundred twenty-one."). The surface form is deliberately not the demo's: no chat template and
// no "Write N in words." instruction, so the base model knows how numbers are
// read but not the task format, and the demo's LoRA is what teaches the format.
// The demo's held-out numbers (its eval.jsonl) are left out of these sentences
// too, so a correct answer on them is composition (digit by digit into words),
// not recall of a sentence seen in pretraining.
import { createRng } from '../../src/main/engine/train/rng';
import { demoRows, numberToWords } from './number-words';

/** Sentences per number: each number is read in this many different sentences. */
export const SENTENCES_PER_NUMBER = 4;
export const NUMBER_CORPUS_SEED = 77;

const NOUNS = ['men', 'books', 'letters', 'cattle', 'votes', 'acres', 'miles', 'students', 'dollars', 'houses', 'trees', 'cars', 'pages', 'ships', 'families'];

// The number (in digits, after a space as in running text) and its words at
// different distances, so the model learns to find the digits by content rather
// than by a fixed offset. Short, so most of each sentence is the reading itself.
const TEMPLATES: ((n: string, w: string, noun: string) => string)[] = [
  (n, w, noun) => `There were ${n} (${w}) ${noun}.`,
  (n, w) => `The number ${n} is read ${w}.`,
  (n, w, noun) => `He counted ${n} ${noun}, that is, ${w}.`,
  (n, w) => `She wrote ${n} and, below it, ${w}.`,
];

/** The numbers 0–9999 less the demo's eval numbers, each in SENTENCES_PER_NUMBER sentences, shuffled. */
export function numberSentences(seed = NUMBER_CORPUS_SEED): string[] {
  const held = new Set(demoRows().eval.map((r) => Number(r.input)));
  const rng = createRng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!;
  const out: string[] = [];
  for (let n = 0; n <= 9999; n++) {
    if (held.has(n)) continue;
    const w = numberToWords(n);
    // Distinct templates for one number: a shuffled prefix of the list.
    const order = TEMPLATES.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const t of order.slice(0, SENTENCES_PER_NUMBER)) out.push(TEMPLATES[t]!(String(n), w, pick(NOUNS)));
  }
  return shuffle(out, rng);
}

/** Fisher–Yates with the given generator (in place; returns its argument). */
export function shuffle<T>(xs: T[], rng: { next(): number }): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}
