// Tests for encodeExample: each JSON Lines row shape on both fixture
// tokenizers, which tokens are learned, and the error for each bad row.
// Run: node --import tsx --test src/main/engine/io/tokenizer/examples.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alpacaPrompt } from './alpaca';
import { ExampleError } from './errors';
import { encodeExample, IGNORE_INDEX, type Example } from './examples';
import type { HfTokenizer } from './hf-tokenizer';
import { fixtureTokenizer } from './testdata/fixtures';

const gpt2 = fixtureTokenizer('gpt2-tiny');
const llama = fixtureTokenizer('llama-tiny');
const at = { file: 'data/train.jsonl', line: 7 };

/** The learned ids, in order. */
const learned = (ex: Example): number[] => ex.labels.filter((l) => l !== IGNORE_INDEX);

function rejects(row: unknown, message: RegExp, tokenizer: HfTokenizer | null = gpt2, code = 'BAD_EXAMPLE'): void {
  assert.throws(
    () => encodeExample(tokenizer, row, at),
    (err: unknown) => {
      assert.ok(err instanceof ExampleError, `expected an ExampleError, got ${String(err)}`);
      assert.equal(err.code, code);
      assert.equal(err.file, 'data/train.jsonl');
      assert.equal(err.line, 7);
      assert.ok(err.message.startsWith('data/train.jsonl:7: '), err.message);
      assert.match(err.message, message);
      return true;
    },
  );
}

test('{"text"}: ids with the tokenizer\'s specials, all learned', () => {
  assert.deepEqual(encodeExample(gpt2, { text: 'hello world' }, at), { inputIds: [261, 266], labels: [261, 266] });
  assert.deepEqual(encodeExample(llama, { text: 'hello world', id: 'extra keys are fine' }, at), { inputIds: [1, 291, 296], labels: [1, 291, 296] });
});

test('{"instruction","output"}: Alpaca prompt masked, output + eos learned', () => {
  const prompt = alpacaPrompt('hi', null);
  assert.equal(prompt, 'Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n### Instruction:\nhi\n\n### Response:\n');
  const g = encodeExample(gpt2, { instruction: 'hi', output: 'hello' }, at);
  // The prompt ends in \n (198), its own pre-token; "hello" is 261, eos <|im_end|> 272.
  assert.deepEqual(g.inputIds, [...gpt2.encode(prompt), 261, 272]);
  assert.deepEqual(learned(g), [261, 272]);
  assert.equal(g.labels.length, g.inputIds.length);
  const l = encodeExample(llama, { instruction: 'hi', input: '', output: 'hello' }, at);
  // One ▁-less word after the prompt's \n (<0x0A> = 13): h ell o, then </s>.
  assert.deepEqual(l.inputIds, [...llama.encode(prompt), 267, 289, 274, 2]);
  assert.equal(l.inputIds[0], 1);
  assert.deepEqual(learned(l), [267, 289, 274, 2]);
});

test('{"instruction","input","output"}: the input block is part of the masked prompt', () => {
  const prompt = alpacaPrompt('hi', 'the world');
  assert.match(prompt, /paired with an input.*\n\n### Instruction:\nhi\n\n### Input:\nthe world\n\n### Response:\n$/s);
  const ex = encodeExample(gpt2, { instruction: 'hi', input: 'the world', output: 'hello' }, at);
  assert.deepEqual(ex.inputIds, [...gpt2.encode(prompt), 261, 272]);
  assert.deepEqual(learned(ex), [261, 272]);
  // An eos the post-processor appends to the prompt alone does not shift the mask.
  const eosTok = fixtureTokenizer('llama-tiny', { add_eos_token: true });
  const e = encodeExample(eosTok, { instruction: 'hi', output: 'hello' }, at);
  assert.deepEqual(learned(e), [267, 289, 274, 2]);
  assert.equal(e.inputIds.filter((id) => id === 2).length, 1);
});

test('{"messages"} with ChatML: only assistant content and its <|im_end|>\\n are learned', () => {
  const one = encodeExample(gpt2, { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] }, at);
  assert.deepEqual(one.inputIds, gpt2.encode(gpt2.applyChatTemplate([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }]), { addSpecialTokens: false }));
  // ... <|im_start|> a s s i s t a n t \n | hello <|im_end|> \n
  assert.deepEqual(one.inputIds.slice(-14), [271, 64, 82, 82, 72, 82, 83, 64, 77, 83, 198, 261, 272, 198]);
  assert.deepEqual(learned(one), [261, 272, 198]);
  assert.deepEqual(one.labels.slice(-3), [261, 272, 198]);
  const two = encodeExample(
    gpt2,
    {
      messages: [
        { role: 'system', content: 'hi' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
        { role: 'user', content: 'the world' },
        { role: 'assistant', content: 'hello world' },
      ],
    },
    at,
  );
  // The user turn between the answers ("the world" → t he Ġworld) is masked: its Ġworld is not learned.
  assert.deepEqual(learned(two), [261, 272, 198, 261, 266, 272, 198]);
  assert.equal(two.inputIds.filter((id) => id === 266).length, 2);
});

test('{"messages"} with Llama 2: bos, [INST] blocks and the system prompt are masked, " answer </s>" learned', () => {
  const one = encodeExample(llama, { messages: [{ role: 'system', content: 'be nice' }, { role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] }, at);
  assert.equal(one.inputIds[0], 1);
  // The text after [/INST] is " hello " then </s>: ▁hello ▁ </s>.
  assert.deepEqual(learned(one), [291, 259, 2]);
  assert.deepEqual(one.inputIds.slice(-3), [291, 259, 2]);
  const two = encodeExample(
    llama,
    {
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
        { role: 'user', content: 'world' },
        { role: 'assistant', content: 'the world' },
      ],
    },
    at,
  );
  // Second answer: ▁ t h e (no "▁ t" merge here) ▁world ▁ </s>.
  assert.deepEqual(learned(two), [291, 259, 2, 259, 279, 267, 264, 296, 259, 2]);
  assert.equal(two.inputIds.filter((id) => id === 1).length, 2, 'each [INST] turn opens with <s>');
});

test('{"messages"} with a template that renders earlier turns differently: content search fallback', () => {
  // [LAST] moves with the last message, so a conversation prefix is not a prefix of the whole.
  const tok = fixtureTokenizer('gpt2-tiny', {
    chat_template: "{% for m in messages %}{% if loop.last %}[LAST]{% endif %}{{ m.role }}: {{ m.content }}{% if m.role == 'assistant' %}{{ eos_token }}{% endif %}\n{% endfor %}{% if add_generation_prompt %}assistant: {% endif %}",
  });
  const ex = encodeExample(tok, { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] }, at);
  // "...assistant: hello<|im_end|>\n": Ġ stays with the prompt, then hello and the eos right after it.
  assert.deepEqual(learned(ex), [261, 272]);
});

test('pre-tokenized rows are used exactly as given, with or without a tokenizer', () => {
  assert.deepEqual(encodeExample(null, { input_ids: [5, 6, 7] }, at), { inputIds: [5, 6, 7], labels: [5, 6, 7] });
  assert.deepEqual(encodeExample(llama, { input_ids: [5, 6, 7], labels: [-100, 6, 7] }, at), { inputIds: [5, 6, 7], labels: [-100, 6, 7] });
  rejects({ input_ids: [] }, /"input_ids" must be a non-empty list of token ids, got \[\]/, null);
  rejects({ input_ids: [1, 2.5] }, /"input_ids"\[1\] must be a non-negative integer, got 2.5/);
  rejects({ input_ids: [1, -1] }, /"input_ids"\[1\] must be a non-negative integer, got -1/);
  rejects({ input_ids: [1, '2'] }, /"input_ids"\[1\] must be a non-negative integer, got a string of 1 character/);
  rejects({ input_ids: [1, 2], labels: [1] }, /"labels" has 1 entries but "input_ids" has 2/);
  rejects({ input_ids: [1, 2], labels: [1, -5] }, /"labels"\[1\] must be a non-negative integer or -100, got -5/);
  rejects({ input_ids: [1, 2], labels: 'x' }, /"labels" must be a list/);
});

test('a text shape without a tokenizer says a tokenizer.json is needed', () => {
  for (const row of [{ text: 'hi' }, { instruction: 'a', output: 'b' }, { messages: [{ role: 'user', content: 'a' }] }]) {
    rejects(row, /needs a tokenizer, and the model folder has no tokenizer\.json/, null, 'TOKENIZER_REQUIRED');
  }
});

test('bad rows name the file, the line and what was expected', () => {
  rejects(null, /expected a JSON object .*got null/);
  rejects([1, 2], /expected a JSON object .*got \[1,2\]/);
  rejects({}, /expected one of .*\{"text"\}.*; the row has keys \(none\)/);
  rejects({ prompt: 'x', completion: 'y' }, /the row has keys "prompt", "completion"/);
  rejects({ text: 'a', messages: [] }, /mixes row shapes \(keys messages, text\)/);
  rejects({ text: 'a', labels: [1] }, /"labels" is only accepted with "input_ids"/);
  rejects({ text: 5 }, /"text" must be a non-empty string, got 5/);
  rejects({ text: '' }, /"text" must be a non-empty string, got ""/);
  rejects({ instruction: 'a' }, /"output" must be a string, got nothing/);
  rejects({ instruction: '', output: 'b' }, /"instruction" must be a non-empty string/);
  rejects({ instruction: 'a', input: 3, output: 'b' }, /"input" must be a string when present, got 3/);
  rejects({ messages: 'hi' }, /"messages" must be a non-empty list/);
  rejects({ messages: [{ role: 'user' }] }, /"messages"\[0\]\.content must be a string, got nothing/);
  rejects({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] }, /"messages"\[0\]\.content must be a string/);
  rejects({ messages: ['hi'] }, /"messages"\[0\] must be an object/);
  rejects({ messages: [{ role: 'user', content: 'hi' }] }, /has no "assistant" message/);
});

test('chat template problems are reported against the row', () => {
  const alternating = { messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }, { role: 'assistant', content: 'c' }] };
  rejects(alternating, /Conversation roles must alternate/, llama);
  const noTemplate = fixtureTokenizer('gpt2-tiny', { chat_template: undefined });
  rejects({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] }, /this model has no chat_template/, noTemplate);
  const dropsAssistant = fixtureTokenizer('gpt2-tiny', { chat_template: "{% for m in messages %}{% if m.role != 'assistant' %}{{ m.content }}{% endif %}{% endfor %}" });
  rejects({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] }, /cannot find "messages"\[1\] \(assistant\)/, dropsAssistant);
});
