// Training text for the walking skeleton's toy model: simple English-like
// sentences from a small grammar, generated rather than shipped so the engine
// needs no data files. Repetitive on purpose, so a tiny model learns it quickly
// and a falling loss is visible within a few dozen steps.
import { createRng, type Rng } from '../train/rng';

const SUBJECTS = ['the cat', 'the dog', 'a bird', 'my sister', 'the old man', 'the teacher', 'a child', 'our neighbour'];
const VERBS = ['sees', 'likes', 'finds', 'carries', 'paints', 'wants', 'holds', 'watches'];
const ADJECTIVES = ['red', 'small', 'green', 'heavy', 'old', 'new'];
const OBJECTS = ['ball', 'box', 'book', 'apple', 'hat', 'cup', 'kite', 'chair'];
const PLACES = ['in the garden', 'at home', 'by the river', 'every morning', 'after school', 'at night'];

/** `lines` sentences, the same ones for the same seed. */
export function skeletonCorpus(seed: number, lines: number): string[] {
  if (!Number.isInteger(lines) || lines < 0) throw new Error(`skeletonCorpus: lines must be a non-negative integer, got ${lines}`);
  const rng = createRng(seed);
  return Array.from({ length: lines }, () => sentence(rng));
}

function sentence(rng: Rng): string {
  const pick = (xs: readonly string[]): string => xs[rng.int(xs.length)]!;
  const adjective = rng.next() < 0.5 ? `${pick(ADJECTIVES)} ` : '';
  const noun = `${adjective}${pick(OBJECTS)}`;
  const object = rng.next() < 0.5 ? `the ${noun}` : `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
  const place = rng.next() < 0.4 ? ` ${pick(PLACES)}` : '';
  const text = `${pick(SUBJECTS)} ${pick(VERBS)} ${object}${place}.`;
  return text[0]!.toUpperCase() + text.slice(1);
}
