import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes } from './format-bytes';

test('bytes read in binary units with sensible digits', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1024), '1.00 KiB');
  assert.equal(formatBytes(14_680_064 + 216), '14.0 MiB');
  assert.equal(formatBytes(13.5 * 2 ** 30), '13.5 GiB');
  assert.equal(formatBytes(null), '—');
});
