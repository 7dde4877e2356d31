// Tests for chat templates: ChatML and Llama 2 rendering as transformers does
// it, raise_exception, and the template's forms and absences.
// Run: node --import tsx --test src/main/engine/io/tokenizer/chat-template.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenizerError } from './errors';
import { fixtureTokenizer } from './testdata/fixtures';

const chat = [
  { role: 'user', content: 'hi' },
  { role: 'assistant', content: 'hello' },
];

function templateError(code: TokenizerError['code'], message: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof TokenizerError, `expected a TokenizerError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return true;
  };
}

test('ChatML (Qwen2 style): default system turn, generation prompt', () => {
  const tok = fixtureTokenizer('gpt2-tiny');
  const system = '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n';
  assert.equal(tok.applyChatTemplate(chat), `${system}<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nhello<|im_end|>\n`);
  assert.equal(tok.applyChatTemplate(chat.slice(0, 1), { addGenerationPrompt: true }), `${system}<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n`);
  assert.equal(
    tok.applyChatTemplate([{ role: 'system', content: 'Be brief.' }, ...chat]),
    '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nhello<|im_end|>\n',
  );
});

test('Llama 2: bos_token / eos_token come from the config, system folded into the first turn', () => {
  const tok = fixtureTokenizer('llama-tiny');
  assert.equal(
    tok.applyChatTemplate([{ role: 'system', content: 'be nice' }, ...chat, { role: 'user', content: ' again ' }]),
    '<s>[INST] <<SYS>>\nbe nice\n<</SYS>>\n\nhi [/INST] hello </s><s>[INST] again [/INST]',
  );
});

test('raise_exception in the template becomes a CHAT_TEMPLATE_FAILED error with its message', () => {
  const tok = fixtureTokenizer('llama-tiny');
  assert.throws(
    () => tok.applyChatTemplate([{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }]),
    templateError('CHAT_TEMPLATE_FAILED', /llama-tiny\/tokenizer_config\.json failed: Conversation roles must alternate user\/assistant/),
  );
});

test('the list form picks the template named "default"', () => {
  const tok = fixtureTokenizer('gpt2-tiny', {
    chat_template: [
      { name: 'tool_use', template: 'TOOLS' },
      { name: 'default', template: '{{ messages[0].content }}|{{ add_generation_prompt }}' },
    ],
  });
  assert.equal(tok.chatTemplate, '{{ messages[0].content }}|{{ add_generation_prompt }}');
  assert.equal(tok.applyChatTemplate(chat, { addGenerationPrompt: true }), 'hi|true');
});

test('no usable template: a clear CHAT_TEMPLATE_MISSING error, raised only when chat is used', () => {
  const none = fixtureTokenizer('gpt2-tiny', { chat_template: undefined });
  assert.equal(none.chatTemplate, null);
  assert.deepEqual(none.encode('hello'), [261]);
  assert.throws(() => none.applyChatTemplate(chat), templateError('CHAT_TEMPLATE_MISSING', /this model has no chat_template \(.*tokenizer_config\.json: no chat_template\)/));
  const unnamed = fixtureTokenizer('gpt2-tiny', { chat_template: [{ name: 'tool_use', template: 'X' }] });
  assert.throws(() => unnamed.applyChatTemplate(chat), templateError('CHAT_TEMPLATE_MISSING', /named chat templates \(tool_use\) but none named "default"/));
});

test('a template that does not parse fails when used, naming the file', () => {
  const tok = fixtureTokenizer('gpt2-tiny', { chat_template: '{% if %}' });
  assert.deepEqual(tok.encode('hello'), [261]);
  assert.throws(() => tok.applyChatTemplate(chat), templateError('CHAT_TEMPLATE_FAILED', /the chat template in .*gpt2-tiny\/tokenizer_config\.json does not parse/));
});

test('special tokens a model lacks render as empty, as in transformers', () => {
  const tok = fixtureTokenizer('gpt2-tiny', { chat_template: '[{{ bos_token }}][{{ eos_token }}][{{ pad_token }}]' });
  assert.equal(tok.applyChatTemplate(chat), '[][<|im_end|>][<|endoftext|>]');
});
