// The writer: byte-identical layout to the reference writer's rules (expected
// bytes built by hand here), streaming in any order, atomic replacement, and
// refusals of bad input.
// Run: node --import tsx --test src/main/engine/io/safetensors/write.test.ts
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SafetensorsError, type SafetensorsErrorCode } from './errors';
import { SafetensorsFile } from './file';
import { readHeader } from './header';
import { bytesOf, lengthPrefix } from './testdata/files';
import { tempDir } from './testdata/temp';
import { SafetensorsWriter, writeSafetensors, type TensorToWrite } from './write';

const dir = tempDir();

function throwsCode(fn: () => unknown, code: SafetensorsErrorCode): void {
  assert.throws(fn, (err: unknown) => err instanceof SafetensorsError && err.code === code);
}

test('the file is byte-identical to the reference writer’s layout for a known example', () => {
  const file = join(dir, 'known.safetensors');
  const c = new Float32Array([1, -2]);
  const x = new Int32Array([-1]);
  const tensors: TensorToWrite[] = [
    // Given out of order on purpose.
    { name: 'y', dtype: 'U8', shape: [], data: new Uint8Array([200]) },
    { name: 'b', dtype: 'F16', shape: [2], data: new Float32Array([1, -2]) },
    { name: '\u{1F600}', dtype: 'F16', shape: [1], data: new Float32Array([0.5]) },
    { name: 'z', dtype: 'I8', shape: [3], data: new Int8Array([1, -1, 2]) },
    { name: '\uff5e', dtype: 'F16', shape: [1], data: new Float32Array([2]) },
    { name: 'a', dtype: 'F16', shape: [1], data: new Float32Array([65504]) },
    { name: 'q"\n\u0001', dtype: 'F32', shape: [0], data: new Float32Array(0) },
    { name: 'c', dtype: 'F32', shape: [2, 1], data: c },
    { name: 'x', dtype: 'I32', shape: [1], data: x },
    { name: 'B', dtype: 'BF16', shape: [0], data: new Float32Array(0) },
  ];
  writeSafetensors(file, tensors);

  // By the rules: F32 > I32 > BF16 > F16 > I8 > U8; within a dtype by UTF-8 bytes, so
  // U+FF5E (EF BD 9E) precedes U+1F600 (F0 9F 98 80) although its UTF-16 unit is larger;
  // '"' and control characters escaped as JSON does; no spaces; padded to 8 with spaces.
  const json =
    '{"__metadata__":{"format":"pt"},' +
    '"c":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},' +
    '"q\\"\\n\\u0001":{"dtype":"F32","shape":[0],"data_offsets":[8,8]},' +
    '"x":{"dtype":"I32","shape":[1],"data_offsets":[8,12]},' +
    '"B":{"dtype":"BF16","shape":[0],"data_offsets":[12,12]},' +
    '"a":{"dtype":"F16","shape":[1],"data_offsets":[12,14]},' +
    '"b":{"dtype":"F16","shape":[2],"data_offsets":[14,18]},' +
    '"\uff5e":{"dtype":"F16","shape":[1],"data_offsets":[18,20]},' +
    '"\u{1F600}":{"dtype":"F16","shape":[1],"data_offsets":[20,22]},' +
    '"z":{"dtype":"I8","shape":[3],"data_offsets":[22,25]},' +
    '"y":{"dtype":"U8","shape":[],"data_offsets":[25,26]}}';
  const jsonBytes = Buffer.from(json, 'utf8');
  const padded = Buffer.concat([jsonBytes, Buffer.alloc((8 - (jsonBytes.length % 8)) % 8, 0x20)]);
  const data = Buffer.concat([
    bytesOf(c),
    bytesOf(x),
    Buffer.from([0xff, 0x7b]), // 65504 = 0x7bff
    Buffer.from([0x00, 0x3c, 0x00, 0xc0]), // 1, -2
    Buffer.from([0x00, 0x40]), // 2
    Buffer.from([0x00, 0x38]), // 0.5
    Buffer.from([1, 0xff, 2]),
    Buffer.from([200]),
  ]);
  const expected = Buffer.concat([lengthPrefix(padded.length), padded, data]);
  assert.equal(padded.length % 8, 0);
  assert.deepEqual(readFileSync(file), expected);
});

test('metadata: none, several keys, and values that need escaping', () => {
  const t: TensorToWrite[] = [{ name: 'w', dtype: 'F32', shape: [1], data: new Float32Array([1]) }];
  const none = join(dir, 'none.safetensors');
  writeSafetensors(none, t, null);
  const text = readFileSync(none).subarray(8, 8 + readHeader(none).headerLength).toString('utf8');
  assert.equal(text.trimEnd(), '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}');
  assert.equal(readHeader(none).metadata, null);

  const some = join(dir, 'some.safetensors');
  writeSafetensors(some, t, { format: 'pt', note: 'tab\there "quoted" é' });
  assert.deepEqual(readHeader(some).metadata, { format: 'pt', note: 'tab\there "quoted" é' });
});

test('SafetensorsWriter: one tensor at a time, in any order, and nothing at the name until finish()', () => {
  const file = join(dir, 'streamed.safetensors');
  const specs = [
    { name: 'layer.1', dtype: 'BF16', shape: [3, 1 << 19] },
    { name: 'layer.0', dtype: 'F16', shape: [1 << 21] }, // bigger than one conversion chunk
    { name: 'ids', dtype: 'I32', shape: [2] },
  ] as const;
  const w = new SafetensorsWriter(file, specs);
  assert.deepEqual(
    w.tensors.map((t) => t.name),
    ['ids', 'layer.1', 'layer.0'],
  );
  const big = Float32Array.from({ length: 1 << 21 }, (_, i) => (i % 2048) - 1024);
  const bf = Float32Array.from({ length: 3 << 19 }, (_, i) => i % 256);
  w.write('layer.0', big);
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('streamed')), []);
  w.write('ids', new Int32Array([4, 5]));
  throwsCode(() => w.write('ids', new Int32Array([4, 5])), 'INVALID_WRITE');
  throwsCode(() => w.write('nope', new Int32Array(1)), 'INVALID_WRITE');
  throwsCode(() => w.write('layer.1', new Float32Array(3)), 'INVALID_TENSOR');
  throwsCode(() => w.finish(), 'INVALID_WRITE'); // layer.1 missing
  w.write('layer.1', bf);
  w.finish();
  throwsCode(() => w.write('ids', new Int32Array(2)), 'INVALID_WRITE');
  w.abort(); // no-op after finish

  assert.deepEqual(readdirSync(dir).filter((n) => n.includes('streamed')), ['streamed.safetensors']);
  const f = SafetensorsFile.open(file);
  try {
    assert.deepEqual(f.readFloat32('layer.0'), big);
    assert.deepEqual(f.readFloat32('layer.1'), bf);
    assert.deepEqual(f.read('ids'), new Int32Array([4, 5]));
  } finally {
    f.close();
  }
});

test('abort() removes the temp file and leaves an existing file untouched', () => {
  const file = join(dir, 'keep.safetensors');
  writeFileSync(file, 'the old file');
  const w = new SafetensorsWriter(file, [{ name: 'w', dtype: 'F32', shape: [2] }]);
  w.write('w', new Float32Array(2));
  w.abort();
  w.abort();
  assert.equal(readFileSync(file, 'utf8'), 'the old file');
  assert.deepEqual(readdirSync(dir).filter((n) => n.includes('keep')), ['keep.safetensors']);

  // writeSafetensors that fails part-way does the same.
  throwsCode(
    () =>
      writeSafetensors(file, [
        { name: 'a', dtype: 'F32', shape: [1], data: new Float32Array(1) },
        { name: 'b', dtype: 'F32', shape: [2], data: new Float32Array(1) },
      ]),
    'INVALID_TENSOR',
  );
  assert.equal(readFileSync(file, 'utf8'), 'the old file');
  assert.deepEqual(readdirSync(dir).filter((n) => n.includes('keep')), ['keep.safetensors']);
});

test('bad input is refused before anything is written', () => {
  const file = join(dir, 'bad.safetensors');
  const one = (t: Partial<TensorToWrite>): TensorToWrite[] => [{ name: 'w', dtype: 'F32', shape: [1], data: new Float32Array(1), ...t }];
  throwsCode(() => writeSafetensors(file, one({ data: new Float64Array(1) as unknown as Float32Array })), 'INVALID_TENSOR');
  throwsCode(() => writeSafetensors(file, one({ dtype: 'F16', data: new Int32Array(1) })), 'INVALID_TENSOR');
  throwsCode(() => writeSafetensors(file, one({ dtype: 'F64' as 'F32' })), 'INVALID_TENSOR');
  throwsCode(() => writeSafetensors(file, one({ shape: [-1] })), 'INVALID_TENSOR');
  throwsCode(() => writeSafetensors(file, one({ shape: [1.5] })), 'INVALID_TENSOR');
  throwsCode(() => writeSafetensors(file, one({ shape: [2 ** 40, 2 ** 40] })), 'SHAPE_OVERFLOW');
  throwsCode(() => writeSafetensors(file, one({ name: '__metadata__' })), 'INVALID_TENSOR');
  throwsCode(() => writeSafetensors(file, one({ name: 'lone \ud800' })), 'INVALID_TENSOR');
  throwsCode(() => writeSafetensors(file, [...one({}), ...one({})]), 'INVALID_TENSOR');
  throwsCode(() => writeSafetensors(file, one({}), { format: 1 } as unknown as Record<string, string>), 'INVALID_METADATA');
  throwsCode(() => writeSafetensors(join(dir, 'no', 'such', 'folder.safetensors'), one({})), 'IO_ERROR');
  assert.deepEqual(readdirSync(dir).filter((n) => n.includes('bad')), []);
});

test('F16/BF16 from float32 rounds to nearest even on the way out', () => {
  const file = join(dir, 'rounded.safetensors');
  const values = new Float32Array([1 + 2 ** -11, 1 + 3 * 2 ** -11, 65520, 2 ** -25, 3 * 2 ** -25, 0.1, NaN]);
  writeSafetensors(file, [
    { name: 'h', dtype: 'F16', shape: [7], data: values },
    { name: 'b', dtype: 'BF16', shape: [7], data: values },
  ]);
  const f = SafetensorsFile.open(file);
  try {
    assert.deepEqual(Array.from(new Uint16Array(f.readRaw('h').buffer.slice(0))), [0x3c00, 0x3c02, 0x7c00, 0x0000, 0x0002, 0x2e66, 0x7e00]);
    const b = f.readFloat32('b');
    assert.deepEqual(Array.from(b.subarray(0, 6)), [1, 1, 65536, 2 ** -25, 3 * 2 ** -25, 0.10009765625]);
    assert.ok(Number.isNaN(b[6]));
  } finally {
    f.close();
  }
});
