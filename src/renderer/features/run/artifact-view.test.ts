import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ArtifactInfo } from '../../../shared/ipc/schemas';
import { artifactBytes, artifactLabel, verification } from './artifact-view';

const artifact = (kind: string, meta: Record<string, unknown>): ArtifactInfo => ({ id: 1, kind, path: '/x', meta, createdAt: 0 });

test('a merged model reads its verification from the stored meta', () => {
  const v = verification(artifact('merged-model', { verify: { maxAbsLogitDiff: 1.1e-5, sequences: 4, tokens: 128 }, bytes: 16e6 }));
  assert.deepEqual(v, { kind: 'verified', maxAbsLogitDiff: 1.1e-5, tokens: 128, ok: true });
  assert.equal(verification(artifact('merged-model', { verify: { maxAbsLogitDiff: 0.5 } })).kind, 'verified');
  assert.equal((verification(artifact('merged-model', { verify: { maxAbsLogitDiff: 0.5 } })) as { ok: boolean }).ok, false);
  assert.deepEqual(verification(artifact('merged-model', { verify: null, verifySkipped: 'no forward pass for chatglm' })), {
    kind: 'skipped',
    reason: 'no forward pass for chatglm',
  });
  assert.deepEqual(verification(artifact('adapter', { step: 10 })), { kind: 'none' });
});

test('labels and sizes', () => {
  assert.equal(artifactLabel('merged-model'), 'Merged model');
  assert.equal(artifactLabel('something-new'), 'something-new');
  assert.equal(artifactBytes(artifact('merged-model', { bytes: 42 })), 42);
  assert.equal(artifactBytes(artifact('adapter', {})), null);
});
