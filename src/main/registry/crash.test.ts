// Crash safety: a writer process SIGKILLed mid-append leaves a sound database
// holding exactly a prefix of its batches (every committed batch, complete).
// Run: node --import tsx --test src/main/registry/crash.test.ts
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { openRegistry } from './index';
import { expectedValue, metricName } from './testdata/append-values';
import { tempRegistryPath } from './testdata/temp';

const ROOT = join(__dirname, '..', '..', '..');
const CHILD = join(__dirname, 'testdata', 'append-loop.ts');
const PER_BATCH = 64;

/** Starts the writer, SIGKILLs it once `killAfter` batches have committed; returns the last committed step. */
function runAndKill(path: string, runId: number, firstStep: number, killAfter: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, String(runId), String(firstStep), String(PER_BATCH)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let lastCommitted = firstStep - 1;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      for (const line of lines) lastCommitted = Number(line);
      if (lastCommitted - firstStep + 1 >= killAfter && child.exitCode === null) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(lastCommitted);
      else reject(new Error(`writer exited on its own (code ${code}, signal ${signal}): ${err}`));
    });
  });
}

test('SIGKILL mid-append: integrity ok and the rows form a complete prefix', { timeout: 120_000 }, async () => {
  const path = tempRegistryPath();
  const setup = openRegistry(path);
  const runId = setup.runs.create({ name: 'crash', method: 'lora', config: {} }).id;
  setup.close();

  let nextStep = 0;
  // Several rounds, each resuming after the rows that survived, so kills land at different points.
  for (const killAfter of [150, 40, 300]) {
    const lastCommitted = await runAndKill(path, runId, nextStep, killAfter);

    const raw = new Database(path);
    assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(raw.pragma('foreign_key_check'), []);
    raw.close();

    const reg = openRegistry(path);
    const rows = reg.metrics.forRun(runId);
    const steps = rows.length / PER_BATCH;
    assert.ok(Number.isInteger(steps), `${rows.length} rows is not a whole number of ${PER_BATCH}-point batches`);
    assert.ok(steps - 1 >= lastCommitted, `committed step ${lastCommitted} is missing (have ${steps} steps)`);
    rows.forEach((p, i) => {
      const step = Math.floor(i / PER_BATCH);
      const j = i % PER_BATCH;
      assert.equal(p.step, step);
      assert.equal(p.name, metricName(j));
      assert.equal(p.value, expectedValue(step, j));
    });

    // A reader after the kill: the run's process is gone, so it is crashed, never running.
    const run = reg.runs.get(runId);
    assert.equal(run?.status, 'crashed');
    assert.match(run?.error ?? '', /is no longer running/);
    assert.equal(reg.runs.markCrashedIfActive(runId, 'engine killed by SIGKILL'), false, 'already recorded');
    reg.close();
    nextStep = steps;
  }
});
