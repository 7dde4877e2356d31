// Data files are read with limits and refused with errors that say what and where
// (file:line), never quoting the file's bytes. Real files on disk, real devices.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../../../test/helpers';
import { dataLines, readExamples } from './jsonl';

const file = (name: string, content: string | Buffer) => {
  const p = join(tempDir(), name);
  writeFileSync(p, content);
  return p;
};
const row = (ids: number[], labels?: number[]) => JSON.stringify(labels ? { input_ids: ids, labels } : { input_ids: ids });

test('a device such as /dev/zero is refused at once, not read', () => {
  const started = Date.now();
  assert.throws(() => readExamples('/dev/zero', null, 16), /\/dev\/zero: not a regular file/);
  assert.ok(Date.now() - started < 1000);
});

test('a line over the limit is an error naming file:line; so is a file over the size limit', () => {
  const long = file('long.jsonl', `${row([1, 2])}\n${'x'.repeat(5000)}\n`);
  assert.throws(() => [...dataLines(long, { maxLineBytes: 1024, maxBytes: 1e9 })], new RegExp(`${long}:2: a line longer than 1024 bytes`));
  const big = file('big.jsonl', `${row([1, 2])}\n`.repeat(100));
  assert.throws(() => [...dataLines(big, { maxLineBytes: 1024, maxBytes: 500 })], new RegExp(`${big}: .*over the 500-byte limit`));
});

test('invalid JSON says where, without echoing the line', () => {
  const bad = file('bad.jsonl', `${row([1, 2])}\n{"text": SECRET-TOKEN-123}\n`);
  assert.throws(
    () => readExamples(bad, null),
    (err: Error) => err.message.startsWith(`${bad}:2: not valid JSON`) && !err.message.includes('SECRET'),
  );
});

test('invalid UTF-8 is an error naming file:line', () => {
  const bad = file('utf8.jsonl', Buffer.concat([Buffer.from(`${row([1, 2])}\n{"text": "`), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]));
  assert.throws(() => readExamples(bad, null), new RegExp(`${bad}:2: not valid UTF-8`));
});

test('a token id outside the vocabulary is an error naming file:line and the position', () => {
  const oov = file('oov.jsonl', `${row([1, 2, 3])}\n${row([4, 99999, 5])}\n`);
  assert.throws(() => readExamples(oov, null, undefined, 128), new RegExp(`${oov}:2: "input_ids"\\[1\\] is 99999, outside the model's vocabulary \\(vocab_size 128\\)`));
  assert.equal(readExamples(oov, null, undefined, 100_000).length, 2);
});

test('data in which every label is -100 is refused before training: nothing to learn', () => {
  const ignored = file('ignored.jsonl', `${row([1, 2, 3], [-100, -100, -100])}\n${row([4, 5], [-100, -100])}\n`);
  assert.throws(() => readExamples(ignored, null), new RegExp(`${ignored}: no example has a token to learn`));
  // A label only at position 0 is never learned either (the loss predicts token k from the tokens before it).
  const first = file('first.jsonl', `${row([1, 2, 3], [1, -100, -100])}\n`);
  assert.throws(() => readExamples(first, null), /no example has a token to learn/);
  // Truncation can remove the only learned tokens.
  const late = file('late.jsonl', `${row([1, 2, 3, 4], [-100, -100, -100, 4])}\n`);
  assert.throws(() => readExamples(late, null, 3), /after truncation to 3 tokens/);
  assert.equal(readExamples(late, null, 4).length, 1);
});
