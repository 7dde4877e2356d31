// Real processes, real signals: random faults (SIGKILL/SIGTERM/SIGHUP to the
// engine, the CLI or both) across runs on the tiny Llama, each resumed until it
// completes with the uninterrupted run's adapter; and a bounded soak of short runs
// through one supervisor with flat memory and no processes left behind.
// The longer versions are `npx tsx bench/reliability.ts`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tempDir } from '../helpers';
import { killAndResume } from './kill-resume';
import { soak } from './soak';

test('faults at random steps: every run resumes to the uninterrupted adapter; nothing reported running without an engine', async () => {
  const s = await killAndResume({ runs: 2, steps: 8, seed: 21, dir: tempDir(), maxFaultsPerRun: 2 });
  assert.deepEqual(s.problems, []);
  assert.ok(s.faults >= 2, `only ${s.faults} faults`);
  assert.deepEqual([s.lostRuns, s.corruptRegistries, s.reportedRunningWithoutEngine, s.mismatchedAdapters], [0, 0, 0, 0]);
});

test('soak: short runs back to back through one supervisor; memory flat, no leaked processes', async () => {
  const s = await soak({ runs: 5, steps: 2, dir: tempDir() });
  assert.equal(s.completed, s.runs);
  assert.equal(s.leakedProcesses, 0);
  assert.equal(s.corruptRegistries, 0);
  assert.ok(s.rssGrowth < 40 * 1024 * 1024, `RSS grew by ${(s.rssGrowth / 2 ** 20).toFixed(1)} MiB over ${s.runs} runs: ${s.rss.map((r) => (r / 2 ** 20).toFixed(0)).join(', ')}`);
});
