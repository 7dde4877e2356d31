// NF4 (4-bit NormalFloat) blockwise quantization as bitsandbytes defines it
// (QLoRA, Dettmers et al. 2023, arXiv:2305.14314 §3; bitsandbytes/functional.py
// quantize_4bit / dequantize_4bit with quant_type "nf4"):
//   - the flattened tensor is cut into blocks of `blockSize` consecutive values
//     (the last block may be short); each block keeps absmax = max |x| in float32;
//   - every value is scaled by the float32 reciprocal, x · (1/absmax) (csrc/kernels.cu
//     kQuantizeBlockwise), and mapped to the nearest of the 16 NF4 code values: the
//     code index is the number of midpoints between consecutive codes that lie
//     strictly below the value (kernels.cu dQuantizeNF4 tests `x > threshold`; the
//     torch back end's bucketize does the same), so a value exactly on a midpoint
//     takes the lower code;
//   - two codes per byte, the first value of each pair in the high nibble
//     (backends/default/ops.py: (q[0::2] << 4) | q[1::2]); an odd count is padded with code 0;
//   - dequantization is code[q] · absmax in float32.
// An all-zero block has absmax 0; like bitsandbytes' torch back end (absmax clamped to
// 1e-38 before the reciprocal) its values take code 7 (0.0). JavaScript numbers are
// float64; Math.fround after each operation gives float32's correctly rounded result
// (one float64 operation on float32 inputs followed by one rounding is exact for + − · /).

/** bitsandbytes/functional.py get_4bit_type("nf4") (create_normal_map(offset=0.9677083)), ascending. */
export const NF4_CODE = Float32Array.from([
  -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635, -0.18477343022823334,
  -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
  0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
]);

/** Midpoints of consecutive codes, float32 — the thresholds of kernels.cu dQuantizeNF4. */
export const NF4_THRESHOLDS = Float32Array.from({ length: 15 }, (_, i) => Math.fround(Math.fround(NF4_CODE[i]! + NF4_CODE[i + 1]!) * 0.5));

/** Per-block absmax (float32) of a flat tensor. */
export function blockAbsmax(data: Float32Array, blockSize: number): Float32Array {
  const blocks = Math.ceil(data.length / blockSize);
  const absmax = new Float32Array(blocks);
  for (let b = 0; b < blocks; b++) {
    let m = 0;
    const end = Math.min(data.length, (b + 1) * blockSize);
    for (let i = b * blockSize; i < end; i++) {
      const a = Math.abs(data[i]!);
      if (a > m) m = a;
    }
    absmax[b] = m;
  }
  return absmax;
}

/** The float32 reciprocal bitsandbytes scales a block by (absmax clamped to 1e-38 first). */
export const reciprocal = (absmax: number): number => Math.fround(1 / Math.max(absmax, 1e-38));

/** Index of the nearest NF4 code for a scaled value: the count of thresholds strictly below it. */
export function nf4Index(x: number): number {
  const t = NF4_THRESHOLDS;
  // A four-step search over the 15 sorted thresholds (the kernel's decision tree).
  let lo = 0;
  let hi = 15;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x > t[mid]!) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface Nf4Blocks {
  /** Two codes per byte, first value in the high nibble: ceil(n / 2) bytes. */
  packed: Uint8Array;
  /** One float32 per block of `blockSize` values. */
  absmax: Float32Array;
  blockSize: number;
  /** Number of values (the packed array may hold one padding nibble). */
  length: number;
}

/** quantize_4bit(A, blocksize, quant_type="nf4") of a flat float32 tensor (row-major order of the caller's layout). */
export function quantizeNf4(data: Float32Array, blockSize: number): Nf4Blocks {
  if (!Number.isInteger(blockSize) || blockSize < 2 || blockSize % 2 !== 0) {
    throw new RangeError(`NF4 block size must be an even positive integer, got ${blockSize}`);
  }
  const absmax = blockAbsmax(data, blockSize);
  const packed = new Uint8Array(Math.ceil(data.length / 2));
  for (let b = 0; b < absmax.length; b++) {
    const inv = reciprocal(absmax[b]!);
    const end = Math.min(data.length, (b + 1) * blockSize);
    for (let i = b * blockSize; i < end; i++) {
      // clamp to [-1, 1] as the torch back end does (1/absmax · absmax can round just above 1).
      const scaled = Math.min(1, Math.max(-1, Math.fround(data[i]! * inv)));
      const q = nf4Index(scaled);
      // Blocks have even sizes, so a pair never straddles two blocks.
      if (i % 2 === 0) packed[i >> 1] = q << 4;
      else packed[i >> 1]! |= q;
    }
  }
  return { packed, absmax, blockSize, length: data.length };
}

/** The 16 dequantized values of one block: code[k] · absmax in float32. */
export function blockTable(absmax: number, into: Float32Array = new Float32Array(16)): Float32Array {
  for (let k = 0; k < 16; k++) into[k] = Math.fround(NF4_CODE[k]! * absmax);
  return into;
}

/** dequantize_4bit: the values in the order they were quantized, with the given per-block absmax. */
export function dequantizeNf4(q: Nf4Blocks, absmax: Float32Array = q.absmax): Float32Array {
  const out = new Float32Array(q.length);
  const table = new Float32Array(16);
  for (let b = 0; b < absmax.length; b++) {
    blockTable(absmax[b]!, table);
    const end = Math.min(q.length, (b + 1) * q.blockSize);
    for (let i = b * q.blockSize; i < end; i++) {
      const byte = q.packed[i >> 1]!;
      out[i] = table[i % 2 === 0 ? byte >> 4 : byte & 0xf]!;
    }
  }
  return out;
}
