// What an artifact's stored meta says, in words. A merged model's meta carries the
// verification of the merge (the largest logit difference between base + adapter
// and the merged weights on sample sequences), or why it was not verified.
import type { ArtifactInfo } from '../../../shared/ipc/schemas';

export type Verification =
  | { kind: 'verified'; maxAbsLogitDiff: number; tokens: number | null; ok: boolean }
  | { kind: 'skipped'; reason: string }
  | { kind: 'none' };

/** float32 merges agree to ~1e-5; above this the merged model does not match. */
export const VERIFY_TOLERANCE = 1e-3;

export function verification(artifact: ArtifactInfo): Verification {
  const v = artifact.meta.verify;
  if (v && typeof v === 'object' && typeof (v as { maxAbsLogitDiff?: unknown }).maxAbsLogitDiff === 'number') {
    const { maxAbsLogitDiff, tokens } = v as { maxAbsLogitDiff: number; tokens?: unknown };
    return { kind: 'verified', maxAbsLogitDiff, tokens: typeof tokens === 'number' ? tokens : null, ok: maxAbsLogitDiff <= VERIFY_TOLERANCE };
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
