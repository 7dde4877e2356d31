// The number knowledge the bundled base model is pretrained on, beside the Brown
// corpus: prose that gives a number in digits and then reads it out in words
// ("He counted 4721 votes, that is, four thousand seven hundred twenty-one.").
// The surface form is deliberately not the demo's: no chat template and no
// "Write N in words." instruction, so the base model knows how numbers are read
// but not the task format, and the demo's LoRA is what teaches the format.
// The demo's held-out numbers (its eval.jsonl) are left out of all of it, so a
// correct answer on them is composition (digit by digit into words), not
// recall of a sentence seen in pretraining.
//
// Two kinds of sentence, pretrained in this order (pretrain.ts's curriculum):
// - templateSentences: eight short fixed sentences. Easy to learn (the digits
//   stand a fixed distance before the words), so the model learns to read.
// - fillerSentences: the number, then up to ten random Brown words, then one of
//   several cues, then the words. The distance varies, so the model must find
//   the digits by what they are rather than where they are: the skill that
//   carries over to a prompt it has never seen, such as the demo's chat turn.
import { createRng } from '../../src/main/engine/train/rng';
import { demoRows, numberToWords } from './number-words';

/** Template sentences per number: each number is read in this many of the templates. */
export const SENTENCES_PER_NUMBER = 4;
export const NUMBER_CORPUS_SEED = 77;
/** Filler sentences per number, and the most filler words between the number and its cue. */
export const FILLER_PER_NUMBER = 3;
export const MAX_FILLER_WORDS = 10;

const NOUNS = ['men', 'books', 'letters', 'cattle', 'votes', 'acres', 'miles', 'students', 'dollars', 'houses', 'trees', 'cars', 'pages', 'ships', 'families'];

// Short, so most of each sentence is the reading itself.
const TEMPLATES: ((n: string, w: string, noun: string) => string)[] = [
  (n, w, noun) => `There were ${n} (${w}) ${noun}.`,
  (n, w) => `The number ${n} is read ${w}.`,
  (n, w, noun) => `He counted ${n} ${noun}, that is, ${w}.`,
  (n, w) => `She wrote ${n} and, below it, ${w}.`,
  (n, w, noun) => `In all, ${n} ${noun}; in words, ${w}.`,
  (n, w) => `Read ${n} aloud: ${w}.`,
  (n, w, noun) => `The report lists ${n} ${noun} (${w}).`,
  (n, w) => `Say ${n} as ${w}.`,
];

const LEADS = ['The number', 'He wrote', 'She counted', 'They found', 'We saw', 'The sign said', 'It was', 'Take', 'The page showed', 'Someone wrote'];
const CUES = ['is read', 'that is,', 'in words:', 'which reads', 'or', 'spelled out:', 'said aloud:', 'we say'];

/** The numbers 0–9999 less the demo's eval numbers. */
function pretrainNumbers(): number[] {
  const held = new Set(demoRows().eval.map((r) => Number(r.input)));
  return Array.from({ length: 10000 }, (_, n) => n).filter((n) => !held.has(n));
}

/** Each pretraining number in SENTENCES_PER_NUMBER distinct templates, shuffled. */
export function templateSentences(seed = NUMBER_CORPUS_SEED): string[] {
  const rng = createRng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!;
  const out: string[] = [];
  for (const n of pretrainNumbers()) {
    const w = numberToWords(n);
    const order = shuffle(TEMPLATES.map((_, i) => i), rng);
    for (const t of order.slice(0, SENTENCES_PER_NUMBER)) out.push(TEMPLATES[t]!(String(n), w, pick(NOUNS)));
  }
  return shuffle(out, rng);
}

/**
 * Each pretraining number in FILLER_PER_NUMBER sentences "lead N filler cue words.",
 * the filler 0–MAX_FILLER_WORDS words drawn from the words of `brownTexts` (as often as they
 * occur there, number words left out so the filler never reads a number itself), shuffled.
 */
export function fillerSentences(brownTexts: readonly string[], seed = NUMBER_CORPUS_SEED + 2): string[] {
  const numberWords = new Set(Array.from({ length: 10000 }, (_, n) => numberToWords(n).split(/[ -]/)).flat());
  const words = brownTexts.flatMap((t) => t.split(/\s+/)).filter((w) => /^[a-z]+$/.test(w) && !numberWords.has(w));
  const rng = createRng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!;
  const out: string[] = [];
  for (const n of pretrainNumbers()) {
    const w = numberToWords(n);
    for (let k = 0; k < FILLER_PER_NUMBER; k++) {
      const filler = Array.from({ length: Math.floor(rng.next() * (MAX_FILLER_WORDS + 1)) }, () => pick(words));
      out.push([pick(LEADS), String(n), ...filler, pick(CUES), `${w}.`].join(' '));
    }
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
