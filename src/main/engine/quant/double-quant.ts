// Double quantization of the NF4 block scales (QLoRA §3 "Double Quantization";
// bitsandbytes/functional.py quantize_4bit with compress_statistics=True):
//   offset = mean(absmax); quantize_blockwise(absmax − offset, blocksize=256) with the
//   signed 8-bit dynamic map — per block of 256 a float32 absmax2, each value scaled by
//   1/absmax2 and given the code csrc/kernels.cu dQuantize<0> picks (binary search over
//   the sorted map, then the nearer neighbour). Restoring (dequantize_4bit):
//   absmax = map[q] · absmax2 + offset, in float32.
// bnb's offset is torch's float32 `absmax.mean()`, whose last bit depends on the
// device's reduction order; here it is the correctly rounded mean (float64 sum / n).
import { DYNAMIC_MAP } from './dynamic-map';
import { blockAbsmax, reciprocal } from './nf4';

export const DOUBLE_QUANT_BLOCK = 256;

export interface DoubleQuantState {
  /** One 8-bit code per NF4 block. */
  codes: Uint8Array;
  /** One float32 scale per 256 codes. */
  absmax2: Float32Array;
  /** The float32 mean subtracted before quantizing. */
  offset: number;
}

/** kernels.cu dQuantize<0>: the code index for a value already scaled into [-1, 1]. */
export function dynamicIndex(x: number): number {
  const code = DYNAMIC_MAP;
  let pivot = 127;
  let upperPivot = 255;
  let lowerPivot = 0;
  let lower = -1;
  let upper = 1;
  let val = code[pivot]!;
  for (let i = 64; i > 0; i >>= 1) {
    if (x > val) {
      lowerPivot = pivot;
      lower = val;
      pivot += i;
    } else {
      upperPivot = pivot;
      upper = val;
      pivot -= i;
    }
    val = code[pivot]!;
  }
  if (upperPivot === 255) upper = code[upperPivot]!;
  if (lowerPivot === 0) lower = code[lowerPivot]!;
  if (x > val) return x > Math.fround(Math.fround(upper + val) * 0.5) ? upperPivot : pivot;
  return x < Math.fround(Math.fround(lower + val) * 0.5) ? lowerPivot : pivot;
}

/** quantize_blockwise(values, code=create_dynamic_map(), blocksize) for float32 values. */
export function quantizeBlockwise8(values: Float32Array, blockSize = DOUBLE_QUANT_BLOCK): { codes: Uint8Array; absmax: Float32Array } {
  const absmax = blockAbsmax(values, blockSize);
  const codes = new Uint8Array(values.length);
  for (let b = 0; b < absmax.length; b++) {
    const inv = reciprocal(absmax[b]!);
    const end = Math.min(values.length, (b + 1) * blockSize);
    for (let i = b * blockSize; i < end; i++) codes[i] = dynamicIndex(Math.min(1, Math.max(-1, Math.fround(values[i]! * inv))));
  }
  return { codes, absmax };
}

export function doubleQuantize(absmax: Float32Array): DoubleQuantState {
  let sum = 0;
  for (let i = 0; i < absmax.length; i++) sum += absmax[i]!;
  const offset = Math.fround(sum / absmax.length);
  const centered = absmax.map((a) => Math.fround(a - offset));
  const { codes, absmax: absmax2 } = quantizeBlockwise8(centered, DOUBLE_QUANT_BLOCK);
  return { codes, absmax2, offset };
}

/** The float32 block scales a double-quantized state stands for. */
export function restoreAbsmax(state: DoubleQuantState): Float32Array {
  const out = new Float32Array(state.codes.length);
  for (let i = 0; i < out.length; i++) {
    const scale = state.absmax2[Math.floor(i / DOUBLE_QUANT_BLOCK)]!;
    out[i] = Math.fround(Math.fround(DYNAMIC_MAP[state.codes[i]!]! * scale) + state.offset);
  }
  return out;
}
