// The usage text is plain strings so that printing help loads nothing (not even
// zod); the defaults it spells out must still be the contract's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MERGE_DTYPE } from '../../shared/ipc/job-schemas';
import { COMMAND_USAGE } from './usage';

test("merge's usage names the contract's default dtype", () => {
  assert.match(COMMAND_USAGE.merge!.usage, new RegExp(`--dtype [a-z0-9|]+\\s+\\(default ${DEFAULT_MERGE_DTYPE}\\)`));
});

test('every command has a summary and a usage that starts with its name', () => {
  for (const [name, { summary, usage }] of Object.entries(COMMAND_USAGE)) {
    assert.ok(summary.startsWith(name), `summary of ${name}: ${summary}`);
    assert.ok(usage.startsWith(`usage: loralab ${name}`), `usage of ${name} starts: ${usage.slice(0, 40)}`);
  }
});
