import { createRng } from '../../src/main/engine/train/rng';
// The demo task of the bundled model: "Write the number in words." — an
// integer 0–9999 in digits in, its American English words out
// ("347" → "three hundred forty-seven"). Nothing like the Brown corpus the base
// model is pretrained on, short, and checkable, so a LoRA's gain is plain to
// see. Used by make-demo-data.ts and test/integration/bundled-tokenizer.test.ts.

export const DEMO_INSTRUCTION = 'Write the number in words.';
export const DEMO_SEED = 20240917;
export const DEMO_TRAIN_ROWS = 2000;
export const DEMO_EVAL_ROWS = 200;

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/**
 * American usage: no "and" ("three hundred five"), compounds 21–99
 * hyphenated ("forty-seven"), thousands never read as hundreds
 * ("one thousand one hundred", not "eleven hundred").
 */
export function numberToWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 9999) throw new RangeError(`numberToWords takes an integer 0–9999, got ${n}`);
  if (n < 20) return ONES[n]!;
  if (n < 100) return TENS[Math.floor(n / 10)]! + (n % 10 === 0 ? '' : `-${ONES[n % 10]}`);
  const parts: string[] = [];
  const thousands = Math.floor(n / 1000);
  const hundreds = Math.floor((n % 1000) / 100);
  const rest = n % 100;
  if (thousands > 0) parts.push(`${ONES[thousands]} thousand`);
  if (hundreds > 0) parts.push(`${ONES[hundreds]} hundred`);
  if (rest > 0) parts.push(numberToWords(rest));
  return parts.join(' ');
}

export interface InstructionRow {
  instruction: string;
  input: string;
  output: string;
}

/**
 * The demo's rows in the chat shape: a short user turn and the answer. Far fewer
 * tokens than the Alpaca prompt, which matters on two CPU cores; only the
 * assistant turn is learned.
 */
export interface ChatRow {
  messages: { role: 'user' | 'assistant'; content: string }[];
}

export const toChatRow = (r: InstructionRow): ChatRow => ({
  messages: [
    { role: 'user', content: `Write ${r.input} in words.` },
    { role: 'assistant', content: r.output },
  ],
});


/**
 * The numbers 0–9999 shuffled with the seed; eval takes the first
 * DEMO_EVAL_ROWS and train the next DEMO_TRAIN_ROWS, so no number is in both.
 * A uniform draw is mostly four-digit numbers, whose words hold every smaller
 * pattern; all 1–2 digit numbers are added to train (less those in eval) so
 * that the short forms are seen alone too.
 */
export function demoRows(seed = DEMO_SEED): { train: InstructionRow[]; eval: InstructionRow[] } {
  const rng = createRng(seed); // mulberry32: the same split everywhere
  const random = () => rng.next();
  const numbers = Array.from({ length: 10000 }, (_, i) => i);
  for (let i = numbers.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [numbers[i], numbers[j]] = [numbers[j]!, numbers[i]!];
  }
  const evalNumbers = numbers.slice(0, DEMO_EVAL_ROWS);
  const held = new Set(evalNumbers);
  const small = numbers.filter((n) => n < 100 && !held.has(n));
  const rest = numbers.slice(DEMO_EVAL_ROWS).filter((n) => n >= 100);
  const trainNumbers = [...small, ...rest.slice(0, DEMO_TRAIN_ROWS - small.length)];
  // Mixed again so the small numbers are not all at the start of the file.
  for (let i = trainNumbers.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [trainNumbers[i], trainNumbers[j]] = [trainNumbers[j]!, trainNumbers[i]!];
  }
  const row = (n: number): InstructionRow => ({ instruction: DEMO_INSTRUCTION, input: String(n), output: numberToWords(n) });
  return { train: trainNumbers.map(row), eval: evalNumbers.map(row) };
}
