// The bundled base model's number sentences (scripts/bundled-model/number-corpus.ts):
// the demo's held-out numbers are in none of them, so the demo's exact match after
// LoRA counts composition, not recall; every other number 0–9999 is read, and each
// reading is the number's words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FILLER_PER_NUMBER, fillerSentences, MAX_FILLER_WORDS, SENTENCES_PER_NUMBER, templateSentences } from '../../scripts/bundled-model/number-corpus';
import { demoRows, numberToWords } from '../../scripts/bundled-model/number-words';
import { CORPUS_TRAIN, readTextRows } from '../../scripts/bundled-model/tokenizer-files';

const held = new Set(demoRows().eval.map((r) => Number(r.input)));

/** How often each number stands in digits in `sentences`, checking that its words follow it. */
function readings(sentences: string[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const s of sentences) {
    const digits = s.match(/\d+/g) ?? [];
    assert.equal(digits.length, 1, `one number per sentence: ${s}`);
    const n = Number(digits[0]);
    assert.ok(s.includes(numberToWords(n)), `"${s}" reads ${n} as "${numberToWords(n)}"`);
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  return counts;
}

test('the template sentences read every number but the demo’s held-out ones, each in as many sentences', () => {
  const counts = readings(templateSentences());
  assert.equal(held.size, 200);
  for (let n = 0; n <= 9999; n++) assert.equal(counts.get(n) ?? 0, held.has(n) ? 0 : SENTENCES_PER_NUMBER, `number ${n}`);
});

test('the filler sentences leave the held-out numbers out too, and put 0–10 filler words between number and reading', () => {
  const sentences = fillerSentences(readTextRows(CORPUS_TRAIN));
  const counts = readings(sentences);
  for (let n = 0; n <= 9999; n++) assert.equal(counts.get(n) ?? 0, held.has(n) ? 0 : FILLER_PER_NUMBER, `number ${n}`);
  // "<lead> N <filler> <cue> <words>.": between the number and its words stand the
  // filler and a cue of one or two words, so from 1 word up to MAX_FILLER_WORDS + 2.
  const gaps = sentences.slice(0, 3000).map((s) => {
    const n = s.match(/\d+/)![0];
    const between = s.slice(s.indexOf(n) + n.length, s.lastIndexOf(numberToWords(Number(n)))).trim();
    return between.split(/\s+/).length;
  });
  assert.equal(Math.min(...gaps), 1);
  assert.equal(Math.max(...gaps), MAX_FILLER_WORDS + 2);
  assert.deepEqual(fillerSentences(readTextRows(CORPUS_TRAIN)).slice(0, 50), sentences.slice(0, 50), 'deterministic from its seed');
});
