// `npm start` where the Electron binary cannot be obtained: one clear line that
// points to `npx loralab ui`, no stack trace. ELECTRON_OVERRIDE_DIST_PATH makes
// the binary missing on any machine, not only on offline ones.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers';

test('npm start without an Electron binary prints one line suggesting npx loralab ui', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/start.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: join(ROOT, 'no-such-electron-dist') },
    timeout: 180_000,
  });
  assert.equal(r.status, 1);
  const lines = r.stderr.trim().split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /npx loralab ui/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
