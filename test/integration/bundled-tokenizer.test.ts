// The bundled base model's tokenizer (resources/models/lab-tiny-llama) as
// LoRA Lab loads it, and the reproducibility of everything under
// scripts/bundled-model: the corpus, the BPE training (byte for byte) and the
// demo dataset.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BYTE_CHARS, PRETOKENIZE_REGEX, trainBpe } from '../../scripts/bundled-model/bpe';
import { demoRows, numberToWords, toChatRow, type InstructionRow } from '../../scripts/bundled-model/number-words';
import {
  buildTokenizerFiles,
  CORPUS_EVAL,
  CORPUS_TRAIN,
  MODEL_DIR,
  readTextRows,
  SPECIAL_TOKENS,
  tokenizerTrainingTexts,
  type TokenizerFileName,
} from '../../scripts/bundled-model/tokenizer-files';
import { encodeExample, loadTokenizer, type HfTokenizer } from '../../src/main/engine/io/tokenizer';
import { ROOT, tempDir } from '../helpers';

let loaded: HfTokenizer | null = null;
async function tokenizer(): Promise<HfTokenizer> {
  loaded ??= await loadTokenizer(MODEL_DIR);
  assert.ok(loaded, `no tokenizer.json in ${MODEL_DIR}`);
  return loaded;
}

test('the bundled tokenizer loads with 4096 tokens and the documented special ids', async () => {
  const tok = await tokenizer();
  assert.equal(tok.vocabSize, 4096);
  assert.deepEqual(
    SPECIAL_TOKENS.map((t) => tok.tokenToId(t)),
    [0, 1, 2, 3, 4],
  );
  assert.deepEqual([tok.bosId, tok.eosId, tok.padId, tok.unkId], [0, 1, 2, null]);
  // generation_config.json adds ChatML's <|im_end|> (4) to <|eos|> (1).
  assert.deepEqual(tok.stopIds, [1, 4]);
  // Byte b is id 5 + b.
  assert.equal(tok.tokenToId(BYTE_CHARS[0x41]!), 5 + 0x41);
  assert.equal(tok.idToToken(5 + 0x20), 'Ġ');
  // bos once at the start, no eos.
  const ids = tok.encode('The jury said it.');
  assert.equal(ids[0], 0);
  assert.equal(ids.filter((id) => id < 5).length, 1);
  assert.deepEqual(ids.slice(1), tok.encode('The jury said it.', { addSpecialTokens: false }));
});

test('Brown eval rows and non-ASCII text survive encode → decode unchanged', async () => {
  const tok = await tokenizer();
  const texts = [
    ...readTextRows(CORPUS_EVAL),
    'héllo wörld — “curly quotes” 日本語 🎉 Ελληνικά',
    '  two leading spaces, tabs\tand\nnewlines\r\n',
    "I'll've it's 12345 3.14 $1,000",
  ];
  let chars = 0;
  let tokens = 0;
  for (const text of texts) {
    const ids = tok.encode(text, { addSpecialTokens: false });
    assert.equal(tok.decode(ids), text);
    assert.equal(tok.decode(tok.encode(text), { skipSpecialTokens: true }), text);
    if (/^[\x20-\x7e]*$/.test(text)) {
      chars += text.length;
      tokens += ids.length;
    }
  }
  // 3.6 characters per token when trained; far less means a broken vocabulary or merges.
  assert.ok(chars / tokens > 3.3, `${(chars / tokens).toFixed(2)} characters per token on the Brown eval split`);
});

test('the chat template is ChatML, starts with bos, and its markers are single tokens', async () => {
  const tok = await tokenizer();
  const messages = [
    { role: 'user', content: 'Write 12 in words.' },
    { role: 'assistant', content: 'twelve' },
  ];
  const text = tok.applyChatTemplate(messages);
  assert.equal(text, '<|bos|><|im_start|>user\nWrite 12 in words.<|im_end|>\n<|im_start|>assistant\ntwelve<|im_end|>\n');
  assert.equal(tok.applyChatTemplate(messages.slice(0, 1), { addGenerationPrompt: true }).endsWith('<|im_start|>assistant\n'), true);
  const ids = tok.encode(text, { addSpecialTokens: false });
  assert.deepEqual(
    ids.filter((id) => id < 5),
    [0, 3, 4, 3, 4],
  );
  const example = encodeExample(tok, { messages }, { file: 'chat.jsonl', line: 1 });
  const learned = example.labels.filter((l) => l !== -100);
  assert.equal(tok.decode(learned), 'twelve<|im_end|>\n');
});

test('every digit is a token of its own and the number words are single tokens', async () => {
  const tok = await tokenizer();
  const pieces = (text: string) => tok.encode(text, { addSpecialTokens: false }).map((id) => tok.decode([id]));
  // Digits split the same way wherever they stand: after a space, a letter, punctuation, at the start.
  assert.deepEqual(pieces('The number 7227 is read'), ['The', ' number', ' ', '7', '2', '2', '7', ' is', ' read']);
  assert.deepEqual(pieces('1960,x19 000'), ['1', '9', '6', '0', ',', 'x', '1', '9', ' ', '0', '0', '0']);
  for (const word of ['one', 'seven', 'twelve', 'nineteen', 'twenty', 'seventy', 'ninety', 'hundred', 'thousand']) {
    assert.equal(pieces(` ${word}`).length, 1, `" ${word}" is ${JSON.stringify(pieces(` ${word}`))}`);
  }
  // Without the space too for one to nine, as after a hyphen ("twenty-seven") and at the start of an answer.
  for (const word of ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']) assert.equal(pieces(word).length, 1, `"${word}" is ${JSON.stringify(pieces(word))}`);
});

test('the BPE trainer reproduces the committed tokenizer files byte for byte from the committed corpus', () => {
  const files = buildTokenizerFiles(tokenizerTrainingTexts());
  for (const name of Object.keys(files) as TokenizerFileName[]) {
    assert.equal(files[name], readFileSync(join(MODEL_DIR, name), 'utf8'), `${name} differs: rerun npx tsx scripts/bundled-model/train-tokenizer.ts`);
  }
});

test('incremental pair counting merges exactly as recounting every pair for every merge', () => {
  // Brown rows, plus runs where a merge overlaps itself and later merges spell one string two ways.
  const texts = [...readTextRows(CORPUS_EVAL).slice(0, 150), 'aaaaaaa aaa aa bbbb abababab', 'mississippi missis sippi'];
  const specials = ['<s>'];
  const fast = trainBpe(texts, { vocabSize: 700, specialTokens: specials });
  assert.equal(fast.vocab.length, 700);
  assert.deepEqual(fast.merges, naiveMerges(texts, fast.merges.length, specials.length));
});

test('prepare-corpus.ts rebuilds the committed Brown corpus', () => {
  const out = tempDir('loralab-brown-');
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/bundled-model/prepare-corpus.ts'), out], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  for (const [name, committed] of [
    ['train.jsonl', CORPUS_TRAIN],
    ['eval.jsonl', CORPUS_EVAL],
  ]) {
    assert.ok(readFileSync(join(out, name!)).equals(readFileSync(committed!)), `${name} differs: rerun npx tsx scripts/bundled-model/prepare-corpus.ts`);
  }
});

test('the demo dataset is the generated one: numbers in words, eval held out', () => {
  const cases: Array<[number, string]> = [
    [0, 'zero'],
    [7, 'seven'],
    [13, 'thirteen'],
    [20, 'twenty'],
    [21, 'twenty-one'],
    [99, 'ninety-nine'],
    [100, 'one hundred'],
    [105, 'one hundred five'],
    [347, 'three hundred forty-seven'],
    [1000, 'one thousand'],
    [1005, 'one thousand five'],
    [1100, 'one thousand one hundred'],
    [2019, 'two thousand nineteen'],
    [4040, 'four thousand forty'],
    [9999, 'nine thousand nine hundred ninety-nine'],
  ];
  for (const [n, words] of cases) assert.equal(numberToWords(n), words);

  const dir = join(ROOT, 'resources', 'data', 'demo-numbers');
  const { train, eval: evalRows } = demoRows();
  const lines = (rows: InstructionRow[]): string => rows.map((r) => JSON.stringify(toChatRow(r))).join('\n') + '\n';
  assert.equal(readFileSync(join(dir, 'train.jsonl'), 'utf8'), lines(train), 'rerun npx tsx scripts/bundled-model/make-demo-data.ts');
  assert.equal(readFileSync(join(dir, 'eval.jsonl'), 'utf8'), lines(evalRows), 'rerun npx tsx scripts/bundled-model/make-demo-data.ts');
  assert.equal(train.length, 2000);
  assert.equal(evalRows.length, 200);
  const trainInputs = new Set(train.map((r) => r.input));
  assert.equal(trainInputs.size, train.length);
  assert.deepEqual(evalRows.filter((r) => trainInputs.has(r.input)), []);
});

/** The textbook algorithm: count every pair of every piece for each merge. */
function naiveMerges(texts: string[], count: number, firstByteId: number): Array<[string, string]> {
  const pieces = new Map<string, number>();
  for (const t of texts) for (const [p] of t.matchAll(PRETOKENIZE_REGEX)) pieces.set(p, (pieces.get(p) ?? 0) + 1);
  const vocab = [...Array.from({ length: firstByteId }, (_, i) => `<special ${i}>`), ...BYTE_CHARS];
  const idOf = new Map(vocab.map((t, i) => [t, i]));
  let words = [...pieces].map(([p, f]) => ({ ids: [...new TextEncoder().encode(p)].map((b) => firstByteId + b), f }));
  const merges: Array<[string, string]> = [];
  while (merges.length < count) {
    const counts = new Map<string, number>();
    for (const { ids, f } of words) for (let i = 0; i + 1 < ids.length; i++) counts.set(`${ids[i]},${ids[i + 1]}`, (counts.get(`${ids[i]},${ids[i + 1]}`) ?? 0) + f);
    let best: [number, number] | null = null;
    let bestCount = 0;
    for (const [key, c] of counts) {
      const [a, b] = key.split(',').map(Number) as [number, number];
      if (c > bestCount || (c === bestCount && best && (a < best[0] || (a === best[0] && b < best[1])))) {
        best = [a, b];
        bestCount = c;
      }
    }
    assert.ok(best && bestCount >= 2);
    const [a, b] = best;
    const token = vocab[a]! + vocab[b]!;
    let merged = idOf.get(token);
    if (merged === undefined) {
      merged = vocab.push(token) - 1;
      idOf.set(token, merged);
    }
    merges.push([vocab[a]!, vocab[b]!]);
    words = words.map(({ ids, f }) => {
      const out: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        if (ids[i] === a && ids[i + 1] === b) {
          out.push(merged);
          i++;
        } else out.push(ids[i]!);
      }
      return { ids: out, f };
    });
  }
  return merges;
}
