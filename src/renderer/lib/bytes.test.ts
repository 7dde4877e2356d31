import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes } from './bytes';
import { MISSING } from './format';

test('bytes read in decimal units with three significant digits', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(1000), '1.00 kB');
  assert.equal(formatBytes(598_016), '598 kB');
  assert.equal(formatBytes(12_345_678), '12.3 MB');
  assert.equal(formatBytes(4.2e12), '4.20 TB');
  assert.equal(formatBytes(null), MISSING);
  assert.equal(formatBytes(-1), MISSING);
});
