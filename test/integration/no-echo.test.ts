// Error text says what was wrong and where (file:line:column, field), never the
// file's bytes: every reader of a user's file is given a broken file holding a
// secret, and the secret must not appear in the error — through the real parsers
// and through the router a WebSocket client talks to (data.preview).
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readAdapterConfig } from '../../src/main/engine/adapters/peft-files';
import { readExamples } from '../../src/main/engine/data/jsonl';
import { readHeader } from '../../src/main/engine/io/safetensors/index';
import { loadTokenizer } from '../../src/main/engine/io/tokenizer/index';
import { readModelConfigJson } from '../../src/main/engine/models/config-json';
import { createServices } from '../../src/main/services/index';
import { tempDir } from '../helpers';
import { LLAMA } from '../fault/tiny-run';

const SECRET = 'hunter2-SECRET';

function folder(files: Record<string, string | Buffer>): string {
  const dir = join(tempDir(), 'f');
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

function refusesWithoutEcho(what: string, run: () => unknown, where: RegExp): void {
  assert.throws(run, (err: Error) => {
    assert.ok(!err.message.includes(SECRET), `${what} echoed the file: ${err.message}`);
    assert.match(err.message, where, what);
    return true;
  });
}

test('JSON files that are not valid JSON: the error names file, line and column, not the text', async () => {
  const broken = `{\n  "peft_type": "LORA",\n  "token": ${SECRET}\n}`;
  refusesWithoutEcho('adapter_config.json', () => readAdapterConfig(folder({ 'adapter_config.json': broken })), /adapter_config\.json: not valid JSON at line 3, column 12/);
  refusesWithoutEcho('config.json', () => readModelConfigJson(folder({ 'config.json': broken })), /config\.json: not valid JSON at line 3/);
  const tok = folder({ 'tokenizer.json': broken });
  await assert.rejects(loadTokenizer(tok), (err: Error) => !err.message.includes(SECRET) && /tokenizer\.json is not valid JSON at line 3/.test(err.message));
  const header = Buffer.from(`{"a": ${SECRET}}      `);
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(header.length));
  const st = join(folder({}), 'model.safetensors');
  writeFileSync(st, Buffer.concat([size, header]));
  refusesWithoutEcho('safetensors header', () => readHeader(st), /not valid JSON at line 1, column 7/);
});

test('data lines: a wrongly typed field is described by type and size, not quoted', () => {
  const dir = folder({ 'a.jsonl': `${JSON.stringify({ input_ids: SECRET })}\n`, 'b.jsonl': `{"text": ${SECRET}}\n` });
  refusesWithoutEcho('a string where ids belong', () => readExamples(join(dir, 'a.jsonl'), null), /a\.jsonl:1: "input_ids" must be .*got a string of 14 characters/);
  refusesWithoutEcho('invalid JSON', () => readExamples(join(dir, 'b.jsonl'), null), /b\.jsonl:1: not valid JSON at column 10/);
});

test('data.preview over the router: per-line errors and file errors carry no bytes, and /dev/zero is refused', async () => {
  const s = createServices({ registryPath: join(tempDir(), 'r.sqlite'), backend: 'cpu' });
  try {
    const model = join(tempDir(), 'model');
    cpSync(LLAMA, model, { recursive: true });
    const file = join(folder({}), 'data.jsonl');
    writeFileSync(file, `{"input_ids": [1, 2, 3]}\n${SECRET} and more private text\n`);
    const r = await s.router.dispatch('data.preview', { model, file, maxSeqLen: 32, limit: 5 });
    assert.ok(r.ok, JSON.stringify(r));
    const errors = (r.value as { errors: { line: number; message: string }[] }).errors;
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.line, 2);
    assert.doesNotMatch(errors[0]!.message, new RegExp(SECRET));
    assert.match(errors[0]!.message, /data\.jsonl:2: not valid JSON at column 1/);

    const zero = await s.router.dispatch('data.preview', { model, file: '/dev/zero', maxSeqLen: 32, limit: 5 });
    assert.ok(!zero.ok && /\/dev\/zero: not a regular file/.test(zero.error.message), JSON.stringify(zero));
  } finally {
    await s.close();
  }
});
