// float16 / bfloat16 conversion: exact decoding, and round-to-nearest-even
// encoding checked against an independent reference that works on values
// (double arithmetic and DataView), not on bit patterns.
// Run: node --import tsx --test src/main/engine/io/safetensors/float16.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bf16BitsToF32Bits,
  decodeBF16,
  decodeF16,
  encodeBF16,
  encodeF16,
  f16BitsToF32Bits,
  f32BitsToBf16Bits,
  f32BitsToF16Bits,
} from './float16';
import { bitsOf, refBF16, refF16, refF16Value, valueOf } from './testdata/reference-float16';

/** Deterministic float32 values spread over every exponent, both signs. */
function* sampleFloat32(count: number): Generator<number> {
  let s = 0x9e3779b9;
  for (let i = 0; i < count; i += 1) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    yield valueOf(s >>> 0);
  }
}

test('f16 decode: every one of the 65536 patterns matches the textbook formula', () => {
  for (let h = 0; h < 0x10000; h += 1) {
    const got = valueOf(f16BitsToF32Bits(h));
    const want = refF16Value(h);
    if (Number.isNaN(want)) assert.ok(Number.isNaN(got), `0x${h.toString(16)}`);
    else assert.ok(Object.is(got, want), `0x${h.toString(16)}: ${got} != ${want}`);
  }
});

test('f16 encode: every finite half round-trips, NaN stays NaN with its payload top bits', () => {
  for (let h = 0; h < 0x10000; h += 1) {
    const exp = (h >>> 10) & 0x1f;
    const f32 = f16BitsToF32Bits(h);
    if (exp === 0x1f && (h & 0x3ff) !== 0) {
      const back = f32BitsToF16Bits(f32);
      assert.equal(back & 0x7c00, 0x7c00);
      assert.notEqual(back & 0x3ff, 0);
      assert.equal(back & 0x8000, h & 0x8000);
    } else {
      assert.equal(f32BitsToF16Bits(f32), h, `0x${h.toString(16)}`);
    }
  }
});

test('f16 encode: halfway points between neighbours go to the even one', () => {
  for (let h = 0; h < 0x7bff; h += 1) {
    const mid = (refF16Value(h) + refF16Value(h + 1)) / 2; // exact in float32: one more bit than a half
    assert.equal(bitsOf(mid) === bitsOf(Math.fround(mid)), true);
    const want = h % 2 === 0 ? h : h + 1;
    assert.equal(f32BitsToF16Bits(bitsOf(mid)), want, `tie above 0x${h.toString(16)}`);
    assert.equal(f32BitsToF16Bits(bitsOf(-mid)), want | 0x8000);
    // Just off the tie in either direction settles it by distance.
    assert.equal(f32BitsToF16Bits(bitsOf(mid) - 1), h);
    assert.equal(f32BitsToF16Bits(bitsOf(mid) + 1), h + 1);
  }
});

test('f16 encode: named edge cases', () => {
  const cases: [number, number][] = [
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [65504, 0x7bff], // max finite
    [65519.99609375, 0x7bff], // just below the tie
    [65520, 0x7c00], // the tie between max and 2^16 rounds to even: infinity
    [1e6, 0x7c00],
    [-1e6, 0xfc00],
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // tie between 0 and the smallest subnormal: even is 0
    [valueOf(bitsOf(2 ** -25) + 1), 0x0001], // just above it
    [3 * 2 ** -25, 0x0002], // tie between 1 and 2 subnormal units: even is 2
    [2 ** -14 - 2 ** -25, 0x0400], // tie between the largest subnormal (0x3ff) and the smallest normal
    [2 ** -30, 0x0000],
    [0.1, 0x2e66],
    [1 + 2 ** -11, 0x3c00], // tie: 0x3c00 is even
    [1 + 3 * 2 ** -11, 0x3c02], // tie: 0x3c02 is even
  ];
  for (const [x, want] of cases) assert.equal(f32BitsToF16Bits(bitsOf(x)), want, `${x}`);
  assert.equal(f32BitsToF16Bits(0x7fc00000) & 0x7e00, 0x7e00);
  // A NaN whose payload sits only in the low bits must not become infinity.
  assert.notEqual(f32BitsToF16Bits(0x7f800001), 0x7c00);
  assert.ok(Number.isNaN(valueOf(f16BitsToF32Bits(f32BitsToF16Bits(0x7f800001)))));
});

test('f16 encode: 200k float32 samples agree with the value-based reference', () => {
  for (const x of sampleFloat32(200_000)) {
    if (Number.isNaN(x)) continue;
    assert.equal(f32BitsToF16Bits(bitsOf(x)), refF16(x), `${x} (0x${bitsOf(x).toString(16)})`);
  }
});

test('bf16 decode is the upper half of a float32; encode agrees with the DataView reference', () => {
  for (let b = 0; b < 0x10000; b += 1) assert.equal(bf16BitsToF32Bits(b), (b << 16) >>> 0);
  for (const x of sampleFloat32(200_000)) {
    if (Number.isNaN(x)) continue;
    assert.equal(f32BitsToBf16Bits(bitsOf(x)), refBF16(x), `${x} (0x${bitsOf(x).toString(16)})`);
  }
});

test('bf16 encode: named edge cases', () => {
  const cases: [number, number][] = [
    [1, 0x3f80],
    [-2, 0xc000],
    [valueOf(0x3f808000), 0x3f80], // tie, 0x3f80 even
    [valueOf(0x3f818000), 0x3f82], // tie, 0x3f82 even
    [valueOf(0x3f808001), 0x3f81], // just above the tie
    [valueOf(0x7f7f7fff), 0x7f7f], // below the tie at the top: largest finite
    [valueOf(0x7f7f8000), 0x7f80], // tie at the top: rounds to even, infinity
    [valueOf(0x7f7fffff), 0x7f80], // float32 max overflows to infinity
    [Infinity, 0x7f80],
    [-Infinity, 0xff80],
    [valueOf(0x00008000), 0x0000], // subnormal tie to even zero
    [valueOf(0x00018000), 0x0002],
  ];
  for (const [x, want] of cases) assert.equal(f32BitsToBf16Bits(bitsOf(x)), want, `0x${bitsOf(x).toString(16)}`);
  // Every tie (low half exactly 0x8000) between two finite neighbours goes to the even one.
  for (let b = 0; b < 0x7f80; b += 1) {
    const want = b % 2 === 0 ? b : b + 1;
    assert.equal(f32BitsToBf16Bits(((b << 16) | 0x8000) >>> 0), want, `tie above 0x${b.toString(16)}`);
    assert.equal(f32BitsToBf16Bits(((b << 16) | 0x8000 | 0x80000000) >>> 0), want | 0x8000);
  }
  for (const nan of [0x7fc00000, 0x7f800001, 0xff800001, 0x7fffffff]) {
    const b = f32BitsToBf16Bits(nan);
    assert.ok(Number.isNaN(valueOf(b << 16)), `0x${nan.toString(16)} -> 0x${b.toString(16)}`);
    assert.equal(b & 0x8000, (nan >>> 16) & 0x8000);
  }
});

test('array encoders and decoders match the scalar functions, also on subarrays', () => {
  const src = Float32Array.from(sampleFloat32(10_000));
  const part = src.subarray(3, 9_001);
  const f16 = encodeF16(part);
  const bf16 = encodeBF16(part);
  const back16 = decodeF16(f16);
  const backB = decodeBF16(bf16);
  for (let i = 0; i < part.length; i += 1) {
    const bits = bitsOf(part[i]!);
    assert.equal(f16[i], f32BitsToF16Bits(bits));
    assert.equal(bf16[i], f32BitsToBf16Bits(bits));
    assert.equal(bitsOf(back16[i]!), f16BitsToF32Bits(f16[i]!));
    assert.equal(bitsOf(backB[i]!), bf16BitsToF32Bits(bf16[i]!));
  }
});
