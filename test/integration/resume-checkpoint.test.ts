// Resume on an older checkpoint: the run page offers Resume only on a run's newest
// checkpoint and "Continue from here" on every one; the service refuses to resume the
// same run from an older one (that would train over the later checkpoints and metrics)
// and changes nothing, while a new run from the older checkpoint keeps every row and
// file of the first. Real engines on the tiny Llama fixture.
// Run: npm run build && node --import tsx --test test/integration/resume-checkpoint.test.ts
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createServices } from '../../src/main/services/index';
import { runConfigSchema } from '../../src/shared/config/run-config';
import { tempDir } from '../helpers';
import { waitForRun, writeTinyConfig } from '../fault/tiny-run';

/** Every file under a folder with its size and modification time: what "untouched" means here. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const p = join(e.parentPath, e.name);
      const st = statSync(p);
      return `${p} ${st.size} ${st.mtimeMs}`;
    })
    .sort();
}

test('resume from an older checkpoint is refused and changes nothing; a new run from it keeps the first run whole', { timeout: 240_000 }, async () => {
  const dir = tempDir();
  const registry = join(dir, 'registry.sqlite');
  const s = createServices({ registryPath: registry, backend: 'wasm' });
  try {
    const cfg = runConfigSchema.parse(JSON.parse(readFileSync(writeTinyConfig(dir, 100_000, 5), 'utf8')));
    const { runId } = s.runs.start(cfg, '/');
    await waitForRun(registry, runId, 'two checkpoints', (r) => r.checkpoint >= 10);
    s.runs.stop(runId);
    await s.supervisor.waitForExit(runId);
    const before = s.runs.get(runId);
    assert.equal(before.status, 'stopped');
    const [older, ...rest] = before.checkpoints;
    const newest = rest.at(-1)!;
    assert.ok(older && newest && older.step < newest.step, 'two checkpoints at least');
    const points = s.registry.metrics.forRun(runId);
    const files = snapshot(s.supervisor.runDir(runId));

    assert.throws(
      () => s.runs.resume(older.path),
      (err: Error & { code?: string }) =>
        err.code === 'CONFLICT' &&
        err.message.includes(`checkpoint at step ${older.step}, not its newest (step ${newest.step})`) &&
        err.message.includes(`init_from: ${older.path}`),
    );
    const after = s.runs.get(runId);
    assert.equal(after.status, 'stopped', 'the refused resume did not claim the run');
    assert.deepEqual(after.checkpoints, before.checkpoints);
    assert.deepEqual(s.registry.metrics.forRun(runId), points);
    assert.deepEqual(snapshot(s.supervisor.runDir(runId)), files);

    // "Continue from here": a new run from the older checkpoint, the first one its parent and untouched.
    const child = s.runs.start(runConfigSchema.parse({ ...cfg, name: 'from an older checkpoint', init_from: older.path, train: { ...cfg.train, steps: 3 } }), '/');
    await s.supervisor.waitForExit(child.runId);
    const continued = s.runs.get(child.runId);
    assert.equal(continued.status, 'completed', continued.error ?? '');
    assert.equal(continued.parentRunId, runId);
    assert.deepEqual(s.runs.get(runId).children, [child.runId]);
    assert.deepEqual(s.runs.get(runId).checkpoints, before.checkpoints);
    assert.deepEqual(s.registry.metrics.forRun(runId), points);
    assert.deepEqual(snapshot(s.supervisor.runDir(runId)), files);

    // Resume from the newest checkpoint (by folder, as `loralab resume <dir>` passes it) is what it is for.
    assert.deepEqual(s.runs.resume(newest.path), { runId, checkpoint: newest.path });
    s.runs.stop(runId);
    await s.supervisor.waitForExit(runId);
  } finally {
    await s.close();
  }
});
