import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FORM_FIELDS, fieldLabel, fieldPlaceholder, fieldShown, fieldText, fieldValue } from './form-fields';

const field = (id: string) => FORM_FIELDS.find((f) => f.id === id)!;

test('the rank is lora.r, and adalora.init_r for AdaLoRA', () => {
  assert.deepEqual(field('rank').path('lora'), ['lora', 'r']);
  assert.deepEqual(field('rank').path('qlora'), ['lora', 'r']);
  assert.deepEqual(field('rank').path('adalora'), ['adalora', 'init_r']);
  assert.equal(fieldText(field('rank'), { adalora: { init_r: 12 } }, 'adalora'), '12');
});

test("AdaLoRA's rank fields say which key they edit, with the schema's defaults; other methods have no target rank", () => {
  assert.equal(fieldLabel(field('rank'), 'lora'), 'Rank (r)');
  assert.equal(fieldLabel(field('rank'), 'adalora'), 'Initial rank (init_r)');
  assert.equal(fieldPlaceholder(field('rank'), 'adalora'), '12');
  assert.equal(fieldPlaceholder(field('rank'), 'qlora'), '8');
  assert.deepEqual(field('target-rank').path('adalora'), ['adalora', 'target_r']);
  assert.equal(fieldPlaceholder(field('target-rank'), 'adalora'), '8');
  assert.deepEqual(
    ['lora', 'qlora', 'adalora', 'full'].filter((m) => fieldShown(field('target-rank'), m)),
    ['adalora'],
  );
  assert.deepEqual(
    ['lora', 'qlora', 'adalora', 'full'].filter((m) => fieldShown(field('rank'), m)),
    ['lora', 'qlora', 'adalora'],
  );
});

test('typed text becomes a value only once it is one; empty removes the key', () => {
  assert.deepEqual(fieldValue(field('lr'), '0.001'), { value: 0.001 });
  assert.equal(fieldValue(field('lr'), '0.'), 'invalid');
  assert.equal(fieldValue(field('lr'), '1e'), 'invalid');
  assert.deepEqual(fieldValue(field('lr'), '2e-4'), { value: 2e-4 });
  assert.equal(fieldValue(field('steps'), '2.5'), 'invalid');
  assert.deepEqual(fieldValue(field('steps'), '-4'), { value: -4 }, 'a wrong but complete value goes to the schema, which marks it');
  assert.deepEqual(fieldValue(field('steps'), ''), { value: undefined });
  assert.deepEqual(fieldValue(field('eval'), ''), { value: null });
  assert.deepEqual(fieldValue(field('targets'), 'q_proj, v_proj'), { value: ['q_proj', 'v_proj'] });
  assert.deepEqual(fieldValue(field('targets'), ''), { value: undefined });
});
