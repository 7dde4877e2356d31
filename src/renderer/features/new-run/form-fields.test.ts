import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FORM_FIELDS, fieldText, fieldValue } from './form-fields';

const field = (id: string) => FORM_FIELDS.find((f) => f.id === id)!;

test('the rank is lora.r, and adalora.init_r for AdaLoRA', () => {
  assert.deepEqual(field('rank').path('lora'), ['lora', 'r']);
  assert.deepEqual(field('rank').path('qlora'), ['lora', 'r']);
  assert.deepEqual(field('rank').path('adalora'), ['adalora', 'init_r']);
  assert.equal(fieldText(field('rank'), { adalora: { init_r: 12 } }, 'adalora'), '12');
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
