import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyPasses } from './verify-tolerance';

test('a correct merge passes in every output dtype; a float32-sized bound would fail a correct float16 merge', () => {
  // The differences measured on the bundled model (see verify-tolerance.ts).
  assert.ok(verifyPasses(7.6e-6, 'float32'));
  assert.ok(verifyPasses(1.06e-3, 'float16'));
  assert.ok(verifyPasses(2.34e-2, 'bfloat16'));
  assert.ok(!verifyPasses(1.06e-3 * 10 + 1e-3, 'float16'));
  // A wrong merge moves logits by whole units.
  for (const dtype of ['float32', 'float16', 'bfloat16'] as const) assert.ok(!verifyPasses(1, dtype));
});
