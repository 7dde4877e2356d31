import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTargets, parseTargets } from './targets-text';

test('target text round-trips lists, regexes, all-linear and the default', () => {
  assert.deepEqual(parseTargets('q_proj, v_proj'), ['q_proj', 'v_proj']);
  assert.deepEqual(parseTargets('query_key_value'), ['query_key_value']);
  assert.equal(parseTargets('/.*\\.(q|v)_proj/'), '.*\\.(q|v)_proj');
  assert.equal(parseTargets('all-linear'), 'all-linear');
  assert.equal(parseTargets('  '), null);
  for (const v of [['a', 'b'], '.*attn.*', 'all-linear', null]) assert.deepEqual(parseTargets(formatTargets(v)), v);
});
