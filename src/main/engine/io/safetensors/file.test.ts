// Reading tensors: round trips for every supported dtype, unaligned data,
// range-checked I64, and the errors a reader can meet after a valid header.
// Run: node --import tsx --test src/main/engine/io/safetensors/file.test.ts
import assert from 'node:assert/strict';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeFloat32, decodeTensor } from './decode';
import { SafetensorsError, type SafetensorsErrorCode } from './errors';
import { SafetensorsFile } from './file';
import { parseHeader } from './header';
import { bytesOf, rawFile } from './testdata/files';
import { tempDir } from './testdata/temp';
import { writeSafetensors } from './write';

const dir = tempDir();
let counter = 0;
function fileOf(bytes: Uint8Array): string {
  counter += 1;
  const file = join(dir, `file-${counter}.safetensors`);
  writeFileSync(file, bytes);
  return file;
}

function throwsCode(fn: () => unknown, code: SafetensorsErrorCode): void {
  assert.throws(fn, (err: unknown) => err instanceof SafetensorsError && err.code === code);
}

const F32 = new Float32Array([0, -0, 1.5, -2.25, 3.4028234663852886e38, 1.401298464324817e-45, Infinity, -Infinity, NaN]);

test('writable dtypes round-trip through writeSafetensors and SafetensorsFile', () => {
  const file = join(dir, 'all.safetensors');
  // Values exactly representable in F16 and BF16, so the round trip is exact.
  const halves = new Float32Array([0, -0, 1, -2, 0.5, 65504, 2 ** -24, Infinity, -Infinity]);
  const bhalves = new Float32Array([0, -0, 1, -2, 0.5, 2 ** 100, 2 ** -133, Infinity, 3.0e38 - (3.0e38 % 2 ** 120)]);
  writeSafetensors(file, [
    { name: 'f32', dtype: 'F32', shape: [3, 3], data: F32 },
    { name: 'f16', dtype: 'F16', shape: [9], data: halves },
    { name: 'bf16', dtype: 'BF16', shape: [9, 1], data: bhalves },
    { name: 'i8', dtype: 'I8', shape: [4], data: new Int8Array([-128, -1, 0, 127]) },
    { name: 'u8', dtype: 'U8', shape: [2, 2], data: new Uint8Array([0, 1, 128, 255]) },
    { name: 'i32', dtype: 'I32', shape: [3], data: new Int32Array([-(2 ** 31), 0, 2 ** 31 - 1]) },
    { name: 'scalar', dtype: 'F32', shape: [], data: new Float32Array([7]) },
    { name: 'empty', dtype: 'F16', shape: [0, 4], data: new Float32Array(0) },
  ]);
  const f = SafetensorsFile.open(file);
  try {
    assert.deepEqual(f.metadata, { format: 'pt' });
    assert.deepEqual(new Uint32Array(f.readFloat32('f32').buffer), new Uint32Array(F32.buffer));
    assert.deepEqual(f.read('f16'), halves);
    assert.deepEqual(f.readFloat32('bf16'), bhalves);
    assert.deepEqual(f.read('i8'), new Int8Array([-128, -1, 0, 127]));
    assert.deepEqual(f.read('u8'), new Uint8Array([0, 1, 128, 255]));
    assert.deepEqual(f.read('i32'), new Int32Array([-(2 ** 31), 0, 2 ** 31 - 1]));
    assert.deepEqual(f.read('scalar'), new Float32Array([7]));
    assert.deepEqual(f.read('empty'), new Float32Array(0));
    assert.deepEqual(f.readRaw('f32'), bytesOf(F32));
    assert.deepEqual(f.tensors.get('bf16')?.shape, [9, 1]);
  } finally {
    f.close();
  }
});

test('dtypes only other writers produce: F64, I64, I16, U16, U32, BOOL', () => {
  const f64 = new Float64Array([1, -0.1, 1e300, -1e-300, 3.4028235677973366e38, NaN]);
  const i64 = new BigInt64Array([0n, -1n, 2147483647n, -2147483648n]);
  const parts = [
    ['f64', 'F64', [6], bytesOf(f64)],
    ['i64', 'I64', [4], bytesOf(i64)],
    ['i16', 'I16', [2], bytesOf(new Int16Array([-32768, 32767]))],
    ['u16', 'U16', [2], bytesOf(new Uint16Array([0, 65535]))],
    ['u32', 'U32', [1], bytesOf(new Uint32Array([4294967295]))],
    ['bool', 'BOOL', [3], Buffer.from([1, 0, 1])],
  ] as const;
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, dtype, shape, data] of parts) {
    header[name] = { dtype, shape, data_offsets: [offset, offset + data.length] };
    offset += data.length;
  }
  const f = SafetensorsFile.open(fileOf(rawFile(header, Buffer.concat(parts.map((p) => p[3])), { pad: true })));
  try {
    // F64 rounds to the nearest float32, as Math.fround does.
    assert.deepEqual(f.readFloat32('f64'), Float32Array.from(f64, (x) => Math.fround(x)));
    assert.deepEqual(f.read('i64'), new Int32Array([0, -1, 2147483647, -2147483648]));
    assert.deepEqual(f.read('i16'), new Int16Array([-32768, 32767]));
    assert.deepEqual(f.read('u16'), new Uint16Array([0, 65535]));
    assert.deepEqual(f.read('u32'), new Uint32Array([4294967295]));
    assert.deepEqual(f.read('bool'), new Uint8Array([1, 0, 1]));
  } finally {
    f.close();
  }
});

test('I64 outside the int32 range is an error, not a wrapped value', () => {
  for (const value of [2147483648n, -2147483649n, 2n ** 62n, 4294967295n]) {
    const file = fileOf(rawFile({ t: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, bytesOf(new BigInt64Array([1n, value]))));
    const f = SafetensorsFile.open(file);
    assert.throws(
      () => f.read('t'),
      (err: unknown) => err instanceof SafetensorsError && err.code === 'VALUE_OUT_OF_RANGE' && err.message.includes(String(value)),
    );
    f.close();
  }
});

test('unaligned data: a header that is not padded puts every tensor at an odd position', () => {
  const f32 = new Float32Array([1.25, -3, 1e-40]);
  const f16 = new Uint16Array([0x3c00, 0xc000, 0x0001]); // 1, -2, 2^-24
  const bf16 = new Uint16Array([0x3f80, 0x4049]); // 1, 3.140625
  const f64 = new Float64Array([2.5, -1e-10]);
  const i32 = new Int32Array([-5, 6]);
  const i64 = new BigInt64Array([-7n, 8n]);
  // One leading byte so the next tensors are misaligned within the data as well.
  const data = Buffer.concat([Buffer.from([9]), bytesOf(f32), bytesOf(f16), bytesOf(bf16), bytesOf(f64), bytesOf(i32), bytesOf(i64)]);
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, dtype, shape, size] of [
    ['u8', 'U8', [1], 1],
    ['f32', 'F32', [3], 12],
    ['f16', 'F16', [3], 6],
    ['bf16', 'BF16', [2], 4],
    ['f64', 'F64', [2], 16],
    ['i32', 'I32', [2], 8],
    ['i64', 'I64', [2], 16],
  ] as const) {
    header[name] = { dtype, shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let text = JSON.stringify(header);
  if ((8 + text.length) % 2 === 0) text += ' ';
  const bytes = rawFile(text, data);
  const check = (read: (name: string) => ArrayLike<number>): void => {
    assert.deepEqual(Array.from(read('f32')), Array.from(f32));
    assert.deepEqual(Array.from(read('f16')), [1, -2, 2 ** -24]);
    assert.deepEqual(Array.from(read('bf16')), [1, 3.140625]);
    assert.deepEqual(Array.from(read('f64')), [2.5, Math.fround(-1e-10)]);
    assert.deepEqual(Array.from(read('i32')), [-5, 6]);
    assert.deepEqual(Array.from(read('i64')), [-7, 8]);
  };

  const f = SafetensorsFile.open(fileOf(bytes));
  try {
    assert.equal(f.header.dataStart % 2, 1);
    check((name) => f.read(name));
  } finally {
    f.close();
  }

  // In memory, the slices really are unaligned views: decoding must copy first.
  const h = parseHeader(bytes, bytes.length, 'mem');
  const slice = (name: string): Uint8Array => {
    const info = h.tensors.get(name)!;
    return bytes.subarray(h.dataStart + info.begin, h.dataStart + info.end);
  };
  assert.notEqual(slice('f32').byteOffset % 4, 0);
  check((name) => decodeTensor(slice(name), h.tensors.get(name)!, 'mem'));
  assert.deepEqual(Array.from(decodeFloat32(slice('bf16'), h.tensors.get('bf16')!, 'mem')), [1, 3.140625]);
});

test('dtypes without a decoder are refused for values but readable raw', () => {
  const file = fileOf(rawFile({ q: { dtype: 'F8_E4M3', shape: [2], data_offsets: [0, 2] }, i: { dtype: 'I32', shape: [], data_offsets: [2, 6] } }, 6));
  const f = SafetensorsFile.open(file);
  try {
    throwsCode(() => f.read('q'), 'UNSUPPORTED_DTYPE');
    throwsCode(() => f.readFloat32('q'), 'UNSUPPORTED_DTYPE');
    throwsCode(() => f.readFloat32('i'), 'UNSUPPORTED_DTYPE');
    assert.equal(f.readRaw('q').length, 2);
    assert.equal(f.read('i').length, 1);
  } finally {
    f.close();
  }
});

test('missing tensors, closed files, files that change after opening, and unreadable paths', () => {
  const file = join(dir, 'small.safetensors');
  writeSafetensors(file, [{ name: 'w', dtype: 'F32', shape: [1024], data: new Float32Array(1024) }]);
  const f = SafetensorsFile.open(file);
  throwsCode(() => f.read('nope'), 'TENSOR_NOT_FOUND');
  truncateSync(file, 200);
  throwsCode(() => f.readFloat32('w'), 'FILE_CHANGED');
  f.close();
  f.close();
  throwsCode(() => f.readRaw('w'), 'CLOSED');

  throwsCode(() => SafetensorsFile.open(join(dir, 'absent.safetensors')), 'IO_ERROR');
  mkdirSync(join(dir, 'folder.safetensors'));
  throwsCode(() => SafetensorsFile.open(join(dir, 'folder.safetensors')), 'IO_ERROR');
  throwsCode(() => SafetensorsFile.open(file), 'INCOMPLETE_BUFFER');
});
