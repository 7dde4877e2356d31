// The missing-field hint is a to-do until the user tries to start or edits the field it names.
// Run: node --import tsx --test src/renderer/features/merge/missing-hint.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hintTone } from './missing-hint';

test('neutral on a fresh form, an error once tried or once its field was edited', () => {
  assert.equal(hintTone('base', new Set(), false), 'todo');
  assert.equal(hintTone('base', new Set(['adapters']), false), 'todo', 'another field edited');
  assert.equal(hintTone('base', new Set(['base']), false), 'error');
  assert.equal(hintTone('base', new Set(), true), 'error');
});
