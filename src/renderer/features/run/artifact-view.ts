// What an artifact's stored meta says, in words. A merged model's meta carries the
// verification of the merge (the largest logit difference between base + adapter
// and the merged weights on sample sequences), or why it was not verified.
import type { ArtifactInfo } from '../../../shared/ipc/schemas';
import { verifyPasses } from '../merge/verify-tolerance';

export type Verification =
  | { kind: 'verified'; maxAbsLogitDiff: number; tokens: number | null; ok: boolean }
  | { kind: 'skipped'; reason: string }
  | { kind: 'none' };

export function verification(artifact: ArtifactInfo): Verification {
  const v = artifact.meta.verify;
  if (v && typeof v === 'object' && typeof (v as { maxAbsLogitDiff?: unknown }).maxAbsLogitDiff === 'number') {
    const { maxAbsLogitDiff, tokens } = v as { maxAbsLogitDiff: number; tokens?: unknown };
    // The bound depends on the dtype the merged weights were stored in (the wizard uses the same one).
    const dtype = artifact.meta.dtype === 'float16' || artifact.meta.dtype === 'bfloat16' ? artifact.meta.dtype : 'float32';
    return { kind: 'verified', maxAbsLogitDiff, tokens: typeof tokens === 'number' ? tokens : null, ok: verifyPasses(maxAbsLogitDiff, dtype) };
  }
  const skipped = artifact.meta.verifySkipped;
  if (typeof skipped === 'string' && skipped) return { kind: 'skipped', reason: skipped };
  return { kind: 'none' };
}

const KIND_LABELS: Record<string, string> = {
  adapter: 'Adapter',
  model: 'Full model',
  'merged-model': 'Merged model',
  'unmerged-model': 'Unmerged model',
};

export const artifactLabel = (kind: string): string => KIND_LABELS[kind] ?? kind;

export function artifactBytes(artifact: ArtifactInfo): number | null {
  const b = artifact.meta.bytes;
  return typeof b === 'number' && Number.isFinite(b) ? b : null;
}
