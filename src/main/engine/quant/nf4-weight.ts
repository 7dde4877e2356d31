// A frozen linear weight held as NF4: the packed 4-bit codes and the block scales
// (float32, or double-quantized to 8 bits), never a float32 copy. Quantized in the
// layout bitsandbytes sees — nn.Linear's [out, in], row-major (GPT-2's Conv1D [in, out]
// weight is transposed first, as transformers does before Linear4bit quantizes it) —
// and dequantized on demand straight into either layout: [in, out] for the forward
// product x·W and [out, in] for the input gradient dy·W (both plain matMuls).
import type { QuantConfig } from '../../../shared/config/quant';
import { doubleQuantize, restoreAbsmax, type DoubleQuantState } from './double-quant';
import { blockTable, quantizeNf4, type Nf4Blocks } from './nf4';

export class Nf4Weight {
  private constructor(
    readonly outFeatures: number,
    readonly inFeatures: number,
    /** Codes of the [out, in] weight; `absmax` is empty when the scales are double-quantized. */
    readonly blocks: Nf4Blocks,
    readonly doubleQuant: DoubleQuantState | null,
  ) {}

  /** Quantizes an [out, in] row-major float32 weight. */
  static quantize(outIn: Float32Array, outFeatures: number, inFeatures: number, config: Pick<QuantConfig, 'block_size' | 'double_quant'>): Nf4Weight {
    if (outIn.length !== outFeatures * inFeatures) {
      throw new RangeError(`weight has ${outIn.length} values, expected ${outFeatures}×${inFeatures}`);
    }
    const blocks = quantizeNf4(outIn, config.block_size);
    if (!config.double_quant) return new Nf4Weight(outFeatures, inFeatures, blocks, null);
    const dq = doubleQuantize(blocks.absmax);
    return new Nf4Weight(outFeatures, inFeatures, { ...blocks, absmax: new Float32Array(0) }, dq);
  }

  get size(): number {
    return this.outFeatures * this.inFeatures;
  }

  /** Bytes this weight keeps resident: codes, scales and double-quant state. */
  get bytes(): number {
    const dq = this.doubleQuant;
    return this.blocks.packed.byteLength + this.blocks.absmax.byteLength + (dq ? dq.codes.byteLength + dq.absmax2.byteLength + 4 : 0);
  }

  /** The float32 block scales (restored from 8 bits when double-quantized). */
  absmax(): Float32Array {
    return this.doubleQuant ? restoreAbsmax(this.doubleQuant) : this.blocks.absmax;
  }

  /** The dequantized weight in [out, in] row-major order (the order it was quantized in). */
  dequantizeOutIn(): Float32Array {
    const { packed, blockSize } = this.blocks;
    const absmax = this.absmax();
    const out = new Float32Array(this.size);
    const table = new Float32Array(16);
    for (let b = 0; b < absmax.length; b++) {
      blockTable(absmax[b]!, table);
      const end = Math.min(out.length, (b + 1) * blockSize);
      // Blocks start at even indices, so each byte is one pair of this block.
      for (let i = b * blockSize; i < end; i += 2) {
        const byte = packed[i >> 1]!;
        out[i] = table[byte >> 4]!;
        if (i + 1 < end) out[i + 1] = table[byte & 0xf]!;
      }
    }
    return out;
  }

  /** The dequantized weight transposed, [in, out] row-major (the runtime's x·W layout). */
  dequantizeInOut(): Float32Array {
    const { packed, blockSize } = this.blocks;
    const absmax = this.absmax();
    const rows = this.outFeatures;
    const cols = this.inFeatures;
    const out = new Float32Array(this.size);
    // One table of 16 values per block, built once for all blocks.
    const tables = new Float32Array(absmax.length * 16);
    for (let b = 0; b < absmax.length; b++) blockTable(absmax[b]!, tables.subarray(b * 16, b * 16 + 16));
    for (let o = 0; o < rows; o++) {
      const base = o * cols;
      for (let i = 0; i < cols; i++) {
        const flat = base + i;
        const byte = packed[flat >> 1]!;
        const nibble = (flat & 1) === 0 ? byte >> 4 : byte & 0xf;
        out[i * rows + o] = tables[((flat / blockSize) | 0) * 16 + nibble]!;
      }
    }
    return out;
  }
}

/** Resident bytes per weight value of a set of NF4 weights (what QLoRA's memory claim is about). */
export function bytesPerParameter(weights: readonly Nf4Weight[]): number {
  const bytes = weights.reduce((n, w) => n + w.bytes, 0);
  const params = weights.reduce((n, w) => n + w.size, 0);
  return bytes / Math.max(1, params);
}
