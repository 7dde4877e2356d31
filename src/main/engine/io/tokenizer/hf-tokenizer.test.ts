// Tests for HfTokenizer on the fixture tokenizers: encodings worked out by hand
// from testdata/make-fixtures.ts, round trips, special tokens and the
// add_bos_token / add_eos_token flags.
// Run: node --import tsx --test src/main/engine/io/tokenizer/hf-tokenizer.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTokenizer } from './load';
import { fixtureDir, fixtureTokenizer } from './testdata/fixtures';

const gpt2 = fixtureTokenizer('gpt2-tiny');
const llama = fixtureTokenizer('llama-tiny');
const SAMPLES = ['hello world', 'Hello, the world!', 'café', '中文', 'emoji 😀 ok', ' leading and trailing ', 'a  b\n\nc\t', 'Grüße, 世界 — 🎉🎉'];

test('byte-level BPE: ids follow GPT-2 byte order and the merges', () => {
  // "hello" merges he, ll, hell, hello (261); " world" is Ġw, or, Ġwor, Ġworl, Ġworld (266).
  assert.deepEqual(gpt2.encode('hello world'), [261, 266]);
  assert.deepEqual(gpt2.encode('hello the world'), [261, 258, 266]);
  // H(72-33) e(101-33) ll o(111-33): "e ll" is no merge, so no "hello" here.
  assert.deepEqual(gpt2.encode('Hello'), [39, 68, 259, 78]);
  // é = C3 A9 → "Ã©" merged (267); c a f are 99-33, 97-33, 102-33.
  assert.deepEqual(gpt2.encode('café'), [66, 64, 69, 267]);
  // 中 = E4 B8 AD merged (269); 文 = E6 96 87 → ids 106+(230-174), 221+(150-127), 221+(135-127).
  assert.deepEqual(gpt2.encode('中文'), [269, 162, 244, 229]);
  // 😀 = F0 9F 98 80, one pre-token, no merges.
  assert.deepEqual(gpt2.encode('😀'), [172, 253, 246, 222]);
  // Ġ is byte 32 → 188 + 32.
  assert.deepEqual(gpt2.encode(' hello'), [220, 261]);
  // Added tokens are matched in the text; "user" and "hi" are plain bytes, \n is 188 + 10.
  assert.deepEqual(gpt2.encode('<|im_start|>user\nhi<|im_end|>'), [271, 84, 82, 68, 81, 198, 71, 72, 272]);
  assert.deepEqual(gpt2.encode(''), []);
});

test('byte-level BPE: no bos/eos added (ByteLevel post-processor), special ids from the configs', () => {
  assert.deepEqual(gpt2.encode('hello', { addSpecialTokens: true }), gpt2.encode('hello', { addSpecialTokens: false }));
  assert.equal(gpt2.bosId, null);
  assert.equal(gpt2.eosId, 272);
  assert.equal(gpt2.padId, 270);
  assert.deepEqual(gpt2.stopIds, [272, 270]); // eos, then generation_config's list
  assert.equal(gpt2.vocabSize, 273);
  assert.equal(gpt2.idToToken(256), 'Ġt');
  assert.equal(gpt2.tokenToId('<|im_start|>'), 271);
  assert.match(gpt2.chatTemplate ?? '', /<\|im_start\|>/);
});

test('SentencePiece BPE: ▁ prefix, merges, byte fallback and <s> from the TemplateProcessing post-processor', () => {
  assert.deepEqual(llama.encode('hello world'), [1, 291, 296]);
  assert.deepEqual(llama.encode('hello world', { addSpecialTokens: false }), [291, 296]);
  // ▁ H e l l o: "l l", then "e ll"; H is not in the vocab → <0x48> = 3 + 72.
  assert.deepEqual(llama.encode('Hello'), [1, 259, 75, 289, 274]);
  // é → <0xC3> <0xA9> = 3 + 195, 3 + 169.
  assert.deepEqual(llama.encode('café'), [1, 259, 262, 260, 265, 198, 172]);
  // 中 is a piece (286); 文 falls back to E6 96 87.
  assert.deepEqual(llama.encode('中文'), [1, 259, 286, 233, 153, 138]);
  // Llama's (legacy) quirk, kept: text after a special gets its own ▁.
  assert.deepEqual(llama.encode('<s>hi</s>', { addSpecialTokens: false }), [1, 287, 268, 2]);
  assert.deepEqual(llama.encode(''), [1]);
  assert.equal(llama.bosId, 1);
  assert.equal(llama.eosId, 2);
  assert.equal(llama.padId, null);
  assert.equal(llama.unkId, 0);
  assert.deepEqual(llama.stopIds, [2]);
  assert.equal(llama.vocabSize, 297);
});

test('decode(encode(s)) == s for ASCII and non-ASCII text on both tokenizers', () => {
  for (const s of SAMPLES) {
    assert.equal(gpt2.decode(gpt2.encode(s)), s, `gpt2-tiny: ${JSON.stringify(s)}`);
    assert.equal(llama.decode(llama.encode(s), { skipSpecialTokens: true }), s, `llama-tiny: ${JSON.stringify(s)}`);
  }
  assert.equal(llama.decode([1, 291, 296]), '<s> hello world');
  assert.equal(gpt2.decode([271, 261, 272], { skipSpecialTokens: true }), 'hello');
  assert.equal(gpt2.decode([]), '');
  // A model may sample past the tokenizer's vocabulary (padded embeddings): such ids are dropped.
  assert.equal(gpt2.decode([261, 5000, 266]), 'hello world');
  assert.throws(() => gpt2.decode([1.5]), TypeError);
});

test('tokenizer_config add_bos_token / add_eos_token override the post-processor', () => {
  assert.deepEqual(fixtureTokenizer('llama-tiny', { add_eos_token: true }).encode('hello world'), [1, 291, 296, 2]);
  assert.deepEqual(fixtureTokenizer('llama-tiny', { add_bos_token: false }).encode('hello world'), [291, 296]);
  // Without the flags the post-processor alone decides.
  assert.deepEqual(fixtureTokenizer('llama-tiny', { add_bos_token: undefined, add_eos_token: undefined }).encode('hello'), [1, 291]);
  // A byte-level model that asks for bos gets it even though its post-processor adds none.
  assert.deepEqual(fixtureTokenizer('gpt2-tiny', { bos_token: '<|endoftext|>', add_bos_token: true }).encode('hello world'), [270, 261, 266]);
  // A bos the text itself carries is not doubled by the flag.
  assert.deepEqual(fixtureTokenizer('gpt2-tiny', { bos_token: '<|endoftext|>', add_bos_token: true }).encode('<|endoftext|>hello'), [270, 261]);
});

test('loadTokenizer on the fixture folders gives the same tokenizer as the parsed files', async () => {
  const loaded = await loadTokenizer(fixtureDir('llama-tiny'));
  assert.ok(loaded);
  assert.deepEqual(loaded.encode('hello world'), [1, 291, 296]);
  assert.equal(loaded.chatTemplate, llama.chatTemplate);
});
