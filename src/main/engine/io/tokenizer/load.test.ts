// Tests for loadTokenizer: which files it reads, null for a folder without
// tokenizer.json, and a TokenizerError naming the file for each malformed one.
// Run: node --import tsx --test src/main/engine/io/tokenizer/load.test.ts
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TokenizerError } from './errors';
import { loadTokenizer } from './load';
import { fixtureDir, scratchDir } from './testdata/fixtures';

const scratch = scratchDir();
after(scratch.cleanup);
let n = 0;

/** A model folder with the gpt2-tiny tokenizer.json unless `files` replaces it. */
function modelDir(files: Record<string, string>, withTokenizer = true): string {
  const dir = path.join(scratch.dir, `model-${n++}`);
  mkdirSync(dir);
  if (withTokenizer) copyFileSync(path.join(fixtureDir('gpt2-tiny'), 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

async function rejectsNaming(dir: string, file: string, message: RegExp): Promise<void> {
  await assert.rejects(loadTokenizer(dir), (err: unknown) => {
    assert.ok(err instanceof TokenizerError, `expected a TokenizerError, got ${String(err)}`);
    assert.equal(err.code, 'TOKENIZER_MALFORMED');
    assert.equal(err.file, path.join(dir, file));
    assert.ok(err.message.includes(path.join(dir, file)), err.message);
    assert.match(err.message, message);
    return true;
  });
}

test('a model folder without tokenizer.json has no tokenizer (pre-tokenized data still works)', async () => {
  assert.equal(await loadTokenizer(modelDir({ 'config.json': '{}' }, false)), null);
});

test('a missing model folder is an error, not "no tokenizer"', async () => {
  await assert.rejects(loadTokenizer(path.join(scratch.dir, 'nope')), { name: 'TokenizerError', code: 'MODEL_DIR_NOT_FOUND' });
});

test('tokenizer.json alone: no special tokens, no chat template', async () => {
  const tok = await loadTokenizer(modelDir({}));
  assert.ok(tok);
  assert.deepEqual(tok.encode('hello world'), [261, 266]);
  assert.equal(tok.bosId, null);
  assert.equal(tok.eosId, null);
  assert.deepEqual(tok.stopIds, []);
  assert.equal(tok.chatTemplate, null);
  assert.throws(() => tok.applyChatTemplate([{ role: 'user', content: 'hi' }]), (err: unknown) => {
    assert.ok(err instanceof TokenizerError);
    assert.equal(err.code, 'CHAT_TEMPLATE_MISSING');
    assert.match(err.message, /no chat_template .*tokenizer_config\.json: the file is absent/);
    return true;
  });
});

test('malformed tokenizer.json: bad JSON, not an object, no model, a component the library rejects', async () => {
  await rejectsNaming(modelDir({ 'tokenizer.json': '{"model": ' }), 'tokenizer.json', /is not valid JSON/);
  await rejectsNaming(modelDir({ 'tokenizer.json': '[1, 2]' }), 'tokenizer.json', /must hold a JSON object/);
  await rejectsNaming(modelDir({ 'tokenizer.json': '{"version": "1.0"}' }), 'tokenizer.json', /expected a "model" object/);
  await rejectsNaming(modelDir({ 'tokenizer.json': '{"model": {"type": "BPE"}}' }), 'tokenizer.json', /expected "model.vocab"/);
  await rejectsNaming(modelDir({ 'tokenizer.json': '{"model": {"vocab": {}}, "added_tokens": {}}' }), 'tokenizer.json', /"added_tokens" must be a list/);
  const unknownDecoder = JSON.stringify({ model: { type: 'BPE', vocab: { a: 0 }, merges: [] }, decoder: { type: 'Nope' } });
  await rejectsNaming(modelDir({ 'tokenizer.json': unknownDecoder }), 'tokenizer.json', /cannot be used as a tokenizer: Unknown Decoder type: Nope/);
});

test('malformed side files name themselves and the key', async () => {
  await rejectsNaming(modelDir({ 'tokenizer_config.json': '{,}' }), 'tokenizer_config.json', /not valid JSON/);
  await rejectsNaming(modelDir({ 'tokenizer_config.json': '{"eos_token": 5}' }), 'tokenizer_config.json', /eos_token must be a string or an object/);
  await rejectsNaming(modelDir({ 'tokenizer_config.json': '{"add_bos_token": "yes"}' }), 'tokenizer_config.json', /add_bos_token must be true or false/);
  await rejectsNaming(modelDir({ 'tokenizer_config.json': '{"chat_template": 3}' }), 'tokenizer_config.json', /chat_template must be a string or a list/);
  await rejectsNaming(modelDir({ 'special_tokens_map.json': '{"additional_special_tokens": "x"}' }), 'special_tokens_map.json', /must be a list/);
  await rejectsNaming(modelDir({ 'generation_config.json': '{"eos_token_id": ["2"]}' }), 'generation_config.json', /eos_token_id must be a token id or a list/);
});

test('special_tokens_map.json wins over tokenizer_config.json; generation_config adds stop ids', async () => {
  const tok = await loadTokenizer(
    modelDir({
      'tokenizer_config.json': JSON.stringify({ eos_token: '<|endoftext|>', pad_token: { content: '<|im_start|>' } }),
      'special_tokens_map.json': JSON.stringify({ eos_token: { content: '<|im_end|>', lstrip: false } }),
      'generation_config.json': JSON.stringify({ eos_token_id: 270 }),
    }),
  );
  assert.ok(tok);
  assert.equal(tok.eosToken, '<|im_end|>');
  assert.equal(tok.eosId, 272);
  assert.equal(tok.padId, 271);
  assert.deepEqual(tok.stopIds, [272, 270]);
});

test('generation_config alone gives eos and bos ids when no token is named', async () => {
  const tok = await loadTokenizer(modelDir({ 'generation_config.json': JSON.stringify({ bos_token_id: 270, eos_token_id: [272, 270] }) }));
  assert.ok(tok);
  assert.equal(tok.bosId, 270);
  assert.equal(tok.eosId, 272);
  assert.deepEqual(tok.stopIds, [272, 270]);
});

test('chat_template.jinja is used when tokenizer_config.json has no chat_template', async () => {
  const template = '{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}';
  const tok = await loadTokenizer(modelDir({ 'tokenizer_config.json': '{}', 'chat_template.jinja': template }));
  assert.ok(tok);
  assert.equal(tok.chatTemplate, template);
  assert.equal(tok.applyChatTemplate([{ role: 'user', content: 'hi' }]), '<user>hi');
});
