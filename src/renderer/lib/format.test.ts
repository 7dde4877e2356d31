import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, formatInteger, formatLoss, formatRate, formatTimestamp, MISSING } from './format';

test('missing and non-finite values render as a dash', () => {
  for (const f of [formatLoss, formatInteger, formatDuration, formatTimestamp, formatRate]) {
    assert.equal(f(null), MISSING);
    assert.equal(f(undefined), MISSING);
    assert.equal(f(Number.NaN), MISSING);
  }
});

test('losses show four decimals, extremes in exponent form', () => {
  assert.equal(formatLoss(2.345678), '2.3457');
  assert.equal(formatLoss(0), '0.0000');
  assert.equal(formatLoss(0.00001234), '1.234e-5');
  assert.equal(formatLoss(123456), '1.235e+5');
});

test('durations read as h/m/s', () => {
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(12.4), '12s');
  assert.equal(formatDuration(185), '3m 05s');
  assert.equal(formatDuration(3720), '1h 02m');
  assert.equal(formatDuration(-1), MISSING);
});

test('integers and rates get separators', () => {
  assert.equal(formatInteger(1234567), '1,234,567');
  assert.equal(formatRate(12.345), '12.3');
  assert.equal(formatRate(4321.6), '4,322');
});

test('timestamps are local, zero-padded and sortable', () => {
  const ms = new Date(2025, 2, 4, 9, 5).getTime();
  assert.equal(formatTimestamp(ms), '2025-03-04 09:05');
});
