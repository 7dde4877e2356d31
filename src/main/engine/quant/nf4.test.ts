// NF4 and double quantization against test/fixtures/nf4, written by
// scripts/fixtures/make_nf4_fixtures.py (bitsandbytes' algorithm in plain PyTorch):
// identical packed codes, dequantized values within 1e-6, identical double-quant state.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SafetensorsFile } from '../io/safetensors/file';
import { DYNAMIC_MAP } from './dynamic-map';
import { doubleQuantize, restoreAbsmax } from './double-quant';
import { dequantizeNf4, NF4_CODE, NF4_THRESHOLDS, quantizeNf4 } from './nf4';

const DIR = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'nf4');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  cases: Record<string, { shape: number[]; block_size: number }>;
};
const file = SafetensorsFile.open(join(DIR, 'nf4.safetensors'));
const f32 = (name: string) => file.readFloat32(name);
const u8 = (name: string) => file.read(name) as Uint8Array;
process.on('exit', () => file.close());

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

test('the code tables are bitsandbytes\' bit for bit', () => {
  assert.deepEqual(bits(NF4_CODE), bits(f32('nf4_code')));
  assert.deepEqual(bits(DYNAMIC_MAP), bits(f32('dynamic_map')));
  // kernels.cu dQuantizeNF4's first split is between codes 7 (0.0) and 8.
  assert.equal(NF4_THRESHOLDS[7], Math.fround(0.03979014977812767));
});

for (const [name, c] of Object.entries(expected.cases).filter(([, c]) => c.block_size)) {
  test(`${name}: ${c.shape.join('×')} in blocks of ${c.block_size} quantizes to the reference codes and values`, () => {
    const q = quantizeNf4(f32(`${name}.input`), c.block_size);
    assert.deepEqual(Array.from(q.packed), Array.from(u8(`${name}.packed`)));
    assert.deepEqual(bits(q.absmax), bits(f32(`${name}.absmax`)));
    const deq = dequantizeNf4(q);
    assert.ok(maxAbsDiff(deq, f32(`${name}.dequant`)) <= 1e-6);
    assert.deepEqual(bits(deq), bits(f32(`${name}.dequant`)));
  });

  test(`${name}: double quantization of the block scales matches the reference`, () => {
    const q = quantizeNf4(f32(`${name}.input`), c.block_size);
    const dq = doubleQuantize(q.absmax);
    assert.equal(dq.offset, f32(`${name}.dq.offset`)[0]);
    assert.deepEqual(Array.from(dq.codes), Array.from(u8(`${name}.dq.codes`)));
    assert.deepEqual(bits(dq.absmax2), bits(f32(`${name}.dq.absmax2`)));
    const restored = restoreAbsmax(dq);
    assert.deepEqual(bits(restored), bits(f32(`${name}.dq.absmax`)));
    assert.ok(maxAbsDiff(dequantizeNf4(q, restored), f32(`${name}.dq.dequant`)) <= 1e-6);
  });
}

test('ties go to the lower code and an all-zero block dequantizes to zeros', () => {
  const q = quantizeNf4(f32('ties_b64.input'), 64);
  // Block 0 holds 1.0, the 16 codes, then the 15 midpoints: each midpoint takes the lower code.
  const nibble = (i: number) => (i % 2 === 0 ? q.packed[i >> 1]! >> 4 : q.packed[i >> 1]! & 0xf);
  for (let k = 0; k < 16; k++) assert.equal(nibble(1 + k), k);
  for (let k = 0; k < 15; k++) assert.equal(nibble(17 + k), k);
  assert.equal(q.absmax[1], 0);
  assert.ok(dequantizeNf4(q).slice(64, 128).every((v) => v === 0));
});

test('a changed value changes its code (the comparison can fail)', () => {
  const input = f32('normal_b64.input');
  input[5] = -input[5]! * 3;
  const q = quantizeNf4(input, 64);
  assert.notDeepEqual(Array.from(q.packed), Array.from(u8('normal_b64.packed')));
});
