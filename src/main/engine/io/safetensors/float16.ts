// float16 and bfloat16 <-> float32 conversion, bit-exact, on raw bit patterns.
// Decoding is exact (every half and bfloat16 value is a float32). Encoding rounds
// to nearest, ties to even, as PyTorch's .half() / .bfloat16() do, so a tensor
// written here holds the same bits a PyTorch export of the same float32 values would.
// Pure math, no I/O: tested in float16.test.ts against an independent conversion.

/** float16 bits -> float32 bits, exact, subnormals, infinities and NaN payloads included. */
export function f16BitsToF32Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  let mant = h & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (mant << 13)) >>> 0;
  if (exp !== 0) return (sign | ((exp - 15 + 127) << 23) | (mant << 13)) >>> 0;
  if (mant === 0) return sign >>> 0;
  // A subnormal half is mant · 2^-24; float32 holds it as a normal number, so
  // shift the leading one up to the implicit-bit position.
  let e = -14;
  while ((mant & 0x400) === 0) {
    mant <<= 1;
    e -= 1;
  }
  return (sign | ((e + 127) << 23) | ((mant & 0x3ff) << 13)) >>> 0;
}

/** float32 bits -> float16 bits, round to nearest even; overflow gives ±inf, NaN stays NaN. */
export function f32BitsToF16Bits(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) {
    // Keep the top payload bits, and set the quiet bit so a payload held only in
    // the low 13 bits does not truncate to infinity.
    return mant === 0 ? sign | 0x7c00 : sign | 0x7e00 | (mant >>> 13);
  }
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Below 2^-25 everything rounds to zero (2^-25 itself ties to the even zero).
    if (e < -10) return sign;
    // Subnormal result: the 24-bit significand scaled to units of 2^-24.
    const m = mant | 0x800000;
    const shift = 14 - e;
    return sign | roundShift(m, shift);
  }
  // A carry out of the mantissa rounds up into the exponent, and from the
  // largest exponent into infinity, which is exactly what the encoding needs.
  return sign | (((e << 10) | (mant >>> 13)) + roundIncrement(mant, 13));
}

/** bfloat16 bits -> float32 bits: bfloat16 is the upper half of a float32. */
export function bf16BitsToF32Bits(b: number): number {
  return (b << 16) >>> 0;
}

/** float32 bits -> bfloat16 bits, round to nearest even; NaN stays NaN. */
export function f32BitsToBf16Bits(x: number): number {
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) {
    // Truncation could clear every payload bit and make an infinity; force quiet.
    return ((x >>> 16) | 0x40) & 0xffff;
  }
  return ((x >>> 16) + roundIncrement(x, 16)) & 0xffff;
}

/** 1 when dropping the low `bits` bits of `value` must round up (nearest, ties to even). */
function roundIncrement(value: number, bits: number): number {
  const half = 1 << (bits - 1);
  const rest = value & ((1 << bits) - 1);
  if (rest > half) return 1;
  if (rest < half) return 0;
  return (value >>> bits) & 1;
}

function roundShift(value: number, bits: number): number {
  return (value >>> bits) + roundIncrement(value, bits);
}

let f16Table: Uint32Array | null = null;

/** Decodes float16 bit patterns into float32s (table lookup: 256 KiB, built on first use). */
export function decodeF16(src: Uint16Array, dst: Float32Array = new Float32Array(src.length)): Float32Array {
  if (!f16Table) {
    f16Table = new Uint32Array(0x10000);
    for (let h = 0; h < 0x10000; h += 1) f16Table[h] = f16BitsToF32Bits(h);
  }
  const table = f16Table;
  const out = new Uint32Array(dst.buffer, dst.byteOffset, dst.length);
  for (let i = 0; i < src.length; i += 1) out[i] = table[src[i]!]!;
  return dst;
}

/** Decodes bfloat16 bit patterns into float32s. */
export function decodeBF16(src: Uint16Array, dst: Float32Array = new Float32Array(src.length)): Float32Array {
  const out = new Uint32Array(dst.buffer, dst.byteOffset, dst.length);
  for (let i = 0; i < src.length; i += 1) out[i] = src[i]! << 16;
  return dst;
}

/** Encodes float32s as float16 bit patterns. */
export function encodeF16(src: Float32Array, dst: Uint16Array = new Uint16Array(src.length)): Uint16Array {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < bits.length; i += 1) dst[i] = f32BitsToF16Bits(bits[i]!);
  return dst;
}

/** Encodes float32s as bfloat16 bit patterns. */
export function encodeBF16(src: Float32Array, dst: Uint16Array = new Uint16Array(src.length)): Uint16Array {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < bits.length; i += 1) dst[i] = f32BitsToBf16Bits(bits[i]!);
  return dst;
}
