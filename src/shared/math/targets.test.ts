// PEFT's target matching rules (peft/tuners/tuners_utils.py check_target_module_exists, peft/utils/constants.py) and the "did you mean" helper.
// Run: node --import tsx --test src/shared/math/targets.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeNames, editDistance, leafName, targetMatcher } from './targets';

test('a list matches the exact name or a dotted suffix', () => {
  const m = targetMatcher(['q_proj', 'mlp.down_proj']);
  assert.ok(m('model.layers.0.self_attn.q_proj'));
  assert.ok(m('q_proj'));
  assert.ok(m('model.layers.3.mlp.down_proj'));
  assert.ok(!m('model.layers.0.self_attn.xq_proj'));
  assert.ok(!m('model.layers.0.self_attn.q_proj.base_layer'));
});

test('a string is a regex that must match the whole name', () => {
  const m = targetMatcher(String.raw`.*\.(q|v)_proj`);
  assert.ok(m('model.layers.0.self_attn.q_proj'));
  assert.ok(!m('model.layers.0.self_attn.k_proj'));
  // An alternation is anchored as a whole, as re.fullmatch does.
  const alt = targetMatcher('a|b');
  assert.ok(alt('a') && alt('b') && !alt('ab'));
});

test('close names and leaf names', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(leafName('transformer.h.0.attn.c_attn'), 'c_attn');
  assert.deepEqual(closeNames('qproj', ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj']), ['q_proj']);
  assert.deepEqual(closeNames('x_proj', ['q_proj', 'k_proj', 'c_attn']), ['k_proj', 'q_proj']);
  assert.deepEqual(closeNames('attn', ['c_attn', 'c_proj', 'c_fc']), ['c_attn']);
  assert.deepEqual(closeNames('zzzzzz', ['q_proj']), []);
});
