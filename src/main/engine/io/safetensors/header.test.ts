// Header validation: one hand-made bad file per error code (safetensors/src/tensor.rs validate),
// each checked through readHeader (on disk) and parseHeader (in memory), and
// the valid corner cases the format allows.
// Run: node --import tsx --test src/main/engine/io/safetensors/header.test.ts
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SafetensorsError, type SafetensorsErrorCode } from './errors';
import { parseHeader, readHeader } from './header';
import { lengthPrefix, rawFile } from './testdata/files';
import { tempDir } from './testdata/temp';

const dir = tempDir();
let counter = 0;

function fileOf(bytes: Uint8Array): string {
  counter += 1;
  const file = join(dir, `case-${counter}.safetensors`);
  writeFileSync(file, bytes);
  return file;
}

/** readHeader and parseHeader both throw `code`, naming the file (and the tensor when given). */
function expectCode(bytes: Uint8Array, code: SafetensorsErrorCode, tensor?: string): void {
  const file = fileOf(bytes);
  for (const attempt of [() => readHeader(file), () => parseHeader(bytes, bytes.length, file)]) {
    assert.throws(attempt, (err: unknown) => {
      assert.ok(err instanceof SafetensorsError, `not a SafetensorsError: ${String(err)}`);
      assert.equal(err.code, code, err.message);
      assert.ok(err.message.includes(file), `message does not name the file: ${err.message}`);
      if (tensor !== undefined) {
        assert.equal(err.tensor, tensor);
        assert.ok(err.message.includes(JSON.stringify(tensor)), `message does not name the tensor: ${err.message}`);
      }
      return true;
    });
  }
}

const entry = (dtype: unknown, shape: unknown, offsets: unknown): Record<string, unknown> => ({ dtype, shape, data_offsets: offsets });

test('HEADER_TOO_SMALL: files shorter than the 8-byte length', () => {
  expectCode(new Uint8Array(0), 'HEADER_TOO_SMALL');
  expectCode(new Uint8Array(7), 'HEADER_TOO_SMALL');
});

test('HEADER_TOO_LARGE: a length over 100,000,000, up to 2^64-1', () => {
  expectCode(Buffer.concat([lengthPrefix(100_000_001), Buffer.from('{}')]), 'HEADER_TOO_LARGE');
  expectCode(Buffer.concat([lengthPrefix(2n ** 64n - 1n), Buffer.from('{}')]), 'HEADER_TOO_LARGE');
});

test('INVALID_HEADER_LENGTH: 8 + N beyond the end of the file', () => {
  expectCode(rawFile('{}', 0, { length: 3 }), 'INVALID_HEADER_LENGTH');
  expectCode(rawFile('{"a":1}', 0, { length: 1000 }), 'INVALID_HEADER_LENGTH');
});

test('INVALID_UTF8: a header that is not UTF-8', () => {
  expectCode(Buffer.concat([lengthPrefix(6), Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x7d])]), 'INVALID_UTF8');
  // An unpaired surrogate encoded as bytes (CESU-style) is invalid UTF-8 too.
  expectCode(Buffer.concat([lengthPrefix(7), Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d])]), 'INVALID_UTF8');
});

test('INVALID_JSON: broken, empty, or followed by anything but whitespace', () => {
  expectCode(rawFile('{"a":'), 'INVALID_JSON');
  expectCode(rawFile(''), 'INVALID_JSON');
  expectCode(rawFile('{}\u0000\u0000'), 'INVALID_JSON');
  expectCode(rawFile('{}{}'), 'INVALID_JSON');
  expectCode(Buffer.concat([lengthPrefix(5), Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d])]), 'INVALID_JSON'); // a BOM
});

test('INVALID_HEADER_SHAPE: not an object, leading whitespace, malformed entries', () => {
  expectCode(rawFile('[]'), 'INVALID_HEADER_SHAPE');
  expectCode(rawFile('"x"'), 'INVALID_HEADER_SHAPE');
  expectCode(rawFile(' {}'), 'INVALID_HEADER_SHAPE');
  expectCode(rawFile({ t: 'F32' }), 'INVALID_HEADER_SHAPE', 't');
  expectCode(rawFile({ t: { shape: [], data_offsets: [0, 4] } }, 4), 'INVALID_HEADER_SHAPE', 't');
  expectCode(rawFile({ t: { dtype: 'F32', data_offsets: [0, 4] } }, 4), 'INVALID_HEADER_SHAPE', 't');
  expectCode(rawFile({ t: { dtype: 'F32', shape: [] } }, 4), 'INVALID_HEADER_SHAPE', 't');
  expectCode(rawFile({ t: entry(32, [], [0, 4]) }, 4), 'INVALID_HEADER_SHAPE', 't');
  expectCode(rawFile({ t: entry('F32', 1, [0, 4]) }, 4), 'INVALID_HEADER_SHAPE', 't');
  expectCode(rawFile({ t: entry('F32', [], [0, 4, 8]) }, 4), 'INVALID_HEADER_SHAPE', 't');
  expectCode(rawFile({ t: entry('F32', [], { begin: 0, end: 4 }) }, 4), 'INVALID_HEADER_SHAPE', 't');
});

test('DUPLICATE_KEY: a repeated tensor name, entry key, or metadata key', () => {
  const t = '{"dtype":"U8","shape":[1],"data_offsets":[0,1]}';
  expectCode(rawFile(`{"t":${t},"t":${t}}`, 1), 'DUPLICATE_KEY', 't');
  expectCode(rawFile('{"t":{"dtype":"U8","dtype":"U8","shape":[1],"data_offsets":[0,1]}}', 1), 'DUPLICATE_KEY', 't');
  expectCode(rawFile(`{"__metadata__":{"format":"pt","format":"tf"},"t":${t}}`, 1), 'DUPLICATE_KEY');
});

test('INVALID_METADATA: __metadata__ must map strings to strings', () => {
  expectCode(rawFile({ __metadata__: { format: 1 } }), 'INVALID_METADATA');
  expectCode(rawFile({ __metadata__: { nested: { a: 'b' } } }), 'INVALID_METADATA');
  expectCode(rawFile({ __metadata__: ['pt'] }), 'INVALID_METADATA');
  expectCode(rawFile({ __metadata__: 'pt' }), 'INVALID_METADATA');
});

test('UNKNOWN_DTYPE', () => {
  expectCode(rawFile({ t: entry('F17', [1], [0, 4]) }, 4), 'UNKNOWN_DTYPE', 't');
  expectCode(rawFile({ t: entry('f32', [1], [0, 4]) }, 4), 'UNKNOWN_DTYPE', 't');
});

test('INVALID_SHAPE: negative, fractional, unsafe, non-number and non-integer-literal dimensions', () => {
  for (const dims of [[-1], [1.5], [2 ** 53], [1e308], ['2'], [null], [[2]]]) {
    expectCode(rawFile({ t: entry('U8', dims, [0, 0]) }), 'INVALID_SHAPE', 't');
  }
  // These parse to integers; the reference reader's usize still refuses them.
  for (const literal of ['2.0', '-0', '1e0', '2E0']) {
    expectCode(rawFile(`{"t":{"dtype":"U8","shape":[${literal}],"data_offsets":[0,2]}}`, 2), 'INVALID_SHAPE', 't');
  }
});

test('SHAPE_OVERFLOW: element counts past 2^53-1 never allocate', () => {
  expectCode(rawFile({ t: entry('F16', [2 ** 40, 2 ** 40], [0, 0]) }), 'SHAPE_OVERFLOW', 't');
  // Checked factor by factor, as the reference reader does: a trailing 0 does not rescue it.
  expectCode(rawFile({ t: entry('U8', [2 ** 40, 2 ** 40, 0], [0, 0]) }), 'SHAPE_OVERFLOW', 't');
  // Elements fit but bytes do not.
  expectCode(rawFile({ t: entry('F64', [2 ** 52], [0, 0]) }), 'SHAPE_OVERFLOW', 't');
});

test('MISALIGNED_SLICE: a sub-byte dtype that does not fill whole bytes', () => {
  expectCode(rawFile({ t: entry('F4', [3], [0, 2]) }, 2), 'MISALIGNED_SLICE', 't');
  expectCode(rawFile({ t: entry('F6_E2M3', [1], [0, 1]) }, 1), 'MISALIGNED_SLICE', 't');
});

test('BYTE_LENGTH_MISMATCH: data_offsets span a different size than dtype × shape', () => {
  expectCode(rawFile({ t: entry('F32', [2], [0, 4]) }, 4), 'BYTE_LENGTH_MISMATCH', 't');
  expectCode(rawFile({ t: entry('F16', [], [0, 4]) }, 4), 'BYTE_LENGTH_MISMATCH', 't');
});

test('INVALID_OFFSETS: not from 0, gaps, overlaps, reversed, negative, non-integer', () => {
  expectCode(rawFile({ t: entry('U8', [4], [4, 8]) }, 8), 'INVALID_OFFSETS', 't');
  expectCode(rawFile({ a: entry('U8', [4], [0, 4]), b: entry('U8', [4], [6, 10]) }, 10), 'INVALID_OFFSETS', 'b');
  expectCode(rawFile({ a: entry('U8', [4], [0, 4]), b: entry('U8', [4], [2, 6]) }, 6), 'INVALID_OFFSETS', 'b');
  expectCode(rawFile({ a: entry('U8', [4], [0, 4]), b: entry('U8', [4], [0, 4]) }, 4), 'INVALID_OFFSETS', 'b');
  expectCode(rawFile({ t: entry('U8', [0], [4, 0]) }, 4), 'INVALID_OFFSETS', 't');
  expectCode(rawFile({ t: entry('U8', [4], [-4, 0]) }, 4), 'INVALID_OFFSETS', 't');
  expectCode(rawFile({ t: entry('U8', [4], [0, 4.5]) }, 4), 'INVALID_OFFSETS', 't');
  expectCode(rawFile('{"t":{"dtype":"U8","shape":[4],"data_offsets":[0,4.0]}}', 4), 'INVALID_OFFSETS', 't');
  expectCode(rawFile({ t: entry('U8', [4], [0, 2 ** 53]) }, 4), 'INVALID_OFFSETS', 't');
});

test('INCOMPLETE_BUFFER: the data must be covered exactly, no byte more or less', () => {
  expectCode(rawFile({ t: entry('U8', [4], [0, 4]) }, 5), 'INCOMPLETE_BUFFER');
  expectCode(rawFile({ t: entry('U8', [4], [0, 4]) }, 3), 'INCOMPLETE_BUFFER');
  expectCode(rawFile({}, 1), 'INCOMPLETE_BUFFER');
});

test('valid corner cases: 0-rank, empty, sub-byte, unpadded, unknown entry keys, metadata', () => {
  const header = {
    __metadata__: { format: 'pt' },
    scalar: entry('F32', [], [0, 4]),
    empty: entry('F16', [0, 5], [4, 4]),
    nibbles: entry('F4', [2, 3], [4, 7]),
    bytes: { dtype: 'BOOL', shape: [3], data_offsets: [7, 10], note: 'ignored, as the reference reader does' },
  };
  // JSON.stringify drops a "__proto__" set by a literal, so spell that key out.
  const text = JSON.stringify(header).replace('"format":"pt"', '"format":"pt","__proto__":"kept as a key"');
  const bytes = rawFile(`${text}\n\t `, 10);
  const h = readHeader(fileOf(bytes));
  assert.equal(h.headerLength, Buffer.byteLength(text) + 3);
  assert.equal(h.dataStart, 8 + h.headerLength);
  assert.equal(h.fileSize, bytes.length);
  assert.equal(Object.getPrototypeOf(h.metadata), Object.prototype);
  assert.deepEqual(Object.entries(h.metadata!), [
    ['format', 'pt'],
    ['__proto__', 'kept as a key'],
  ]);
  assert.deepEqual([...h.tensors.keys()], ['scalar', 'empty', 'nibbles', 'bytes']);
  assert.deepEqual(h.tensors.get('empty'), { name: 'empty', dtype: 'F16', shape: [0, 5], begin: 4, end: 4 });
  assert.deepEqual(h.tensors.get('scalar')?.shape, []);
});

test('tensors come back in data order whatever the JSON order, and null metadata is no metadata', () => {
  const bytes = rawFile({ __metadata__: null, z: entry('U8', [2], [0, 2]), a: entry('U8', [1], [2, 3]), e: entry('U8', [0], [2, 2]) }, 3);
  const h = parseHeader(bytes, bytes.length, 'mem');
  assert.equal(h.metadata, null);
  assert.deepEqual([...h.tensors.keys()], ['z', 'e', 'a']);
  // The smallest valid file: `{}` and no data.
  assert.equal(parseHeader(rawFile({}), 10, 'x').tensors.size, 0);
});
