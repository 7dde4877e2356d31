// A run stopped and resumed, by real engine processes on the tiny Llama fixture:
// its summary duration is the time it trained, not first start to last end (the
// pause between is left out), and its adapter folder, saved once when it stopped
// and again when it completed, is one artifact row describing the files there now.
// Run: npm run build && node --import tsx --test test/integration/resume-summary.test.ts
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { createServices } from '../../src/main/services/index';
import { runConfigSchema } from '../../src/shared/config/run-config';
import { tempDir } from '../helpers';
import { waitForRun, writeTinyConfig } from '../fault/tiny-run';

const PAUSE_MS = 3_000;

test('a resumed run: duration without the pause, one adapter row for its folder', { timeout: 240_000 }, async () => {
  const dir = tempDir();
  const registry = join(dir, 'registry.sqlite');
  const s = createServices({ registryPath: registry, backend: 'wasm' });
  try {
    const cfg = runConfigSchema.parse(JSON.parse(readFileSync(writeTinyConfig(dir, 12, 3), 'utf8')));
    const { runId } = s.runs.start(cfg, '/');
    await waitForRun(registry, runId, 'a checkpoint', (r) => r.checkpoint >= 3);
    s.runs.stop(runId);
    await s.supervisor.waitForExit(runId);
    const stopped = s.registry.runs.get(runId)!;
    assert.equal(stopped.status, 'stopped');
    const first = s.registry.artifacts.forRun(runId).filter((a) => a.kind === 'adapter');
    assert.equal(first.length, 1, 'the stopped run saved its adapter');

    await sleep(PAUSE_MS); // stopped: this time is not training
    s.runs.resume(runId);
    await s.supervisor.waitForExit(runId);
    const done = s.registry.runs.get(runId)!;
    assert.equal(done.status, 'completed', done.error ?? '');

    const adapters = s.registry.artifacts.forRun(runId).filter((a) => a.kind === 'adapter');
    assert.equal(adapters.length, 1, `one row for ${first[0]!.path}, got ${adapters.length}`);
    assert.equal(adapters[0]!.id, first[0]!.id);
    assert.equal(adapters[0]!.path, first[0]!.path);
    assert.equal(adapters[0]!.meta.step, 12, 'the row describes the adapter saved at the end');

    const summary = s.runs.list().find((r) => r.id === runId)!;
    const span = done.endedAt! - done.startedAt!;
    assert.ok(summary.durationMs !== null && summary.durationMs > 0);
    // The span holds both segments and the pause between them; the duration only the segments.
    assert.ok(summary.durationMs <= span - PAUSE_MS, `duration ${summary.durationMs} ms of a ${span} ms span with a ${PAUSE_MS} ms pause`);
  } finally {
    await s.close();
  }
});
