// Merging a QLoRA adapter. The adapter was trained against the NF4 base, so there
// are two honest targets, and the user picks one:
//   - 'dequantized': W' = dequant(NF4(W)) + ΔW for every weight QLoRA quantizes
//     (every other tensor copied) — the merged model computes what the trained
//     model computed, up to the output dtype's rounding;
//   - 'original': W' = W + ΔW on the full-precision weights — the adapter's update
//     on the weights it never saw; the difference is the quantization error.
// Either way the merged folder is run against the unmerged quantized model (the NF4
// base with the adapter attached, as trained) on seeded sample sequences, and the
// logit error is reported and written beside the weights (qlora_merge.json).
import { join } from 'node:path';
import type { QuantConfig } from '../../../shared/config/quant';
import type { TensorKind } from '../../../shared/math/adapter-size';
import type { Tf } from '../backend';
import { writeJsonFile } from '../io/json-file';
import { transpose2d } from '../models/decoder/load';
import type { AdapterInput } from '../merge/deltas';
import { compareMergedLogits } from '../merge/verify';
import { Nf4Weight } from './nf4-weight';
import { quantizeModel } from './quantize-model';

export const QLORA_BASES = ['dequantized', 'original'] as const;
export type QloraBase = (typeof QLORA_BASES)[number];

export interface QloraMergeOptions {
  base: QloraBase;
  /** How the base was quantized in training (the run's quant section). */
  quant: QuantConfig;
}

export interface QloraMergeReport {
  qlora_base: QloraBase;
  quant: QuantConfig;
  dtype: string;
  /** Merged model vs the NF4 base + unmerged adapter, over `tokens` positions × vocabulary. */
  max_abs_logit_error: number;
  mean_abs_logit_error: number;
  /** max_abs_logit_error over the largest |logit| of the reference. */
  relative_logit_error: number;
  sequences: number;
  tokens: number;
}

export const QLORA_MERGE_FILE = 'qlora_merge.json';

/** Whether a checkpoint tensor is one QLoRA holds as NF4: a linear weight of the blocks, not the LM head. */
export function isQuantizedTensor(kind: TensorKind, module: string): boolean {
  return (kind === 'linear' || kind === 'conv1d') && module !== 'lm_head';
}

/**
 * A weight as the checkpoint stores it ([out, in], or [in, out] for Conv1D) replaced by
 * its NF4 dequantization in the same layout — quantized in [out, in], exactly as the
 * runtime's quantizeModel does, so the values equal what training ran on.
 */
export function dequantizedLike(data: Float32Array, shape: readonly number[], conv1d: boolean, quant: QuantConfig): Float32Array {
  const [rows, cols] = shape as [number, number];
  const [out, inF] = conv1d ? [cols, rows] : [rows, cols];
  const outIn = conv1d ? transpose2d(data, rows, cols) : data;
  const deq = Nf4Weight.quantize(outIn, out, inF, quant).dequantizeOutIn();
  return conv1d ? transpose2d(deq, out, inF) : deq;
}

/** Runs the merged folder against the NF4 base + adapters and writes the report into the folder. */
export async function measureQloraMerge(
  tf: Tf,
  base: string,
  adapters: readonly AdapterInput[],
  merged: string,
  opts: QloraMergeOptions,
  dtype: string,
): Promise<QloraMergeReport> {
  const c = await compareMergedLogits(tf, base, adapters, merged, (model) => quantizeModel(model, opts.quant));
  const report: QloraMergeReport = {
    qlora_base: opts.base,
    quant: opts.quant,
    dtype,
    max_abs_logit_error: c.maxAbsDiff,
    mean_abs_logit_error: c.meanAbsDiff,
    relative_logit_error: c.maxAbsDiff / Math.max(c.maxAbsReference, Number.MIN_VALUE),
    sequences: c.sequences,
    tokens: c.tokens,
  };
  writeJsonFile(join(merged, QLORA_MERGE_FILE), report);
  return report;
}
