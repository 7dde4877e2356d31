// Checks that the committed fixture files are exactly what make-fixtures.ts
// writes, so the hand-worked ids in the tests match the generator's tables.
// Run: node --import tsx --test src/main/engine/io/tokenizer/testdata/make-fixtures.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureFiles } from './make-fixtures';

test('the fixture files on disk are the generator\'s output', () => {
  for (const [rel, text] of Object.entries(fixtureFiles())) {
    assert.equal(readFileSync(path.join(__dirname, rel), 'utf8'), text, `${rel} is stale: rerun make-fixtures.ts`);
  }
});
