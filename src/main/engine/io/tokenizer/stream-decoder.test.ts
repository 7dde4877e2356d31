// Tests for streaming decode on the fixture tokenizers: byte-level BPE (a
// character spread over byte tokens) and SentencePiece byte fallback (<0xNN>
// tokens, and the Metaspace decoder's first-token space).
// Run: node --import tsx --test src/main/engine/io/tokenizer/stream-decoder.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureTokenizer } from './testdata/fixtures';

const gpt2 = fixtureTokenizer('gpt2-tiny');
const llama = fixtureTokenizer('llama-tiny');
const SAMPLES = ['hello world', 'Hello, the world!', 'café', '中文', 'emoji 😀 ok', ' leading and trailing ', 'a  b\n\nc\t', 'Grüße, 世界 — 🎉🎉'];

test('stream decode: deltas concatenate to the full decode, and partial characters are held back', () => {
  for (const [name, tok] of [['gpt2-tiny', gpt2], ['llama-tiny', llama]] as const) {
    for (const skipSpecialTokens of [false, true]) {
      for (const s of SAMPLES) {
        const ids = tok.encode(s);
        const stream = tok.createStreamDecoder({ skipSpecialTokens });
        const deltas = ids.map((id) => stream.push(id));
        deltas.push(stream.flush());
        const full = tok.decode(ids, { skipSpecialTokens });
        assert.equal(deltas.join(''), full, `${name} ${JSON.stringify(s)} skip=${skipSpecialTokens}`);
        assert.ok(!deltas.some((d) => d.includes('\uFFFD')), `${name} ${JSON.stringify(s)}: a broken character was printed`);
        assert.deepEqual(stream.ids, ids);
      }
    }
  }
  const chars = (tok: typeof gpt2, ids: number[], skip = false): string[] => {
    const stream = tok.createStreamDecoder({ skipSpecialTokens: skip });
    return ids.map((id) => stream.push(id));
  };
  assert.deepEqual(chars(gpt2, [66, 64, 69, 267]), ['c', 'a', 'f', 'é']);
  assert.deepEqual(chars(gpt2, [172, 253, 246, 222]), ['', '', '', '😀']);
  assert.deepEqual(chars(llama, [1, 259, 286, 233, 153, 138], true), ['', '', '中', '', '', '文']);
  assert.deepEqual(chars(llama, [291, 296]), ['hello', ' world']);
});

test('stream decode: a character that never completes is printed as U+FFFD, not held forever', () => {
  // 160 is the lone byte E4 (a 3-byte lead); 222 is the lone continuation byte 80.
  const lone = gpt2.createStreamDecoder();
  assert.equal(lone.push(160), '');
  assert.equal(lone.push(64), '\uFFFDa');
  const unfinished = gpt2.createStreamDecoder();
  assert.equal(unfinished.push(160), '');
  assert.equal(unfinished.flush(), '\uFFFD');
  assert.equal(unfinished.flush(), '');
  const garbage = gpt2.createStreamDecoder();
  const out = [222, 222, 222, 222, 222].map((id) => garbage.push(id));
  assert.deepEqual(out.slice(0, 3), ['', '', '']);
  assert.equal(out.join('') + garbage.flush(), gpt2.decode([222, 222, 222, 222, 222]));
});
