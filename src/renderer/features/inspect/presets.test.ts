import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PRESET_IDS } from './presets';

test('the preset list offered in the UI is exactly resources/presets', () => {
  const dir = join(__dirname, '../../../../resources/presets');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
  assert.deepEqual([...PRESET_IDS].sort(), files);
});
