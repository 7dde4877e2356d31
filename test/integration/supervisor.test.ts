// The supervisor and a real engine process (LoRA on the tiny Llama fixture) on the
// real wasm backend, recording into a real SQLite registry: completion, stop,
// failure, and SIGKILL mid-run.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { createServices } from '../../src/main/services/index';
import { tempDir, tinyConfig, waitFor } from '../helpers';

function services() {
  return createServices({ registryPath: join(tempDir(), 'registry.sqlite'), backend: 'wasm' });
}

test('a run completes and records every step in the registry', async () => {
  const s = services();
  try {
    const statuses: string[] = [];
    s.hub.subscribe((e, p) => e === 'onRunStatus' && statuses.push((p as { status: string }).status));
    const { runId } = s.runs.start(tinyConfig(25), '/');
    await s.supervisor.waitForExit(runId);
    const run = s.runs.get(runId);
    assert.equal(run.status, 'completed', run.error ?? '');
    const loss = s.registry.metrics.forRun(runId, { names: ['loss'] });
    assert.deepEqual(loss.map((p) => p.step), Array.from({ length: 25 }, (_, i) => i + 1));
    assert.ok(loss.every((p) => Number.isFinite(p.value)));
    assert.deepEqual(statuses, ['queued', 'running', 'completed']);
  } finally {
    await s.close();
  }
});

test('stop ends a run as stopped after its current step', async () => {
  const s = services();
  try {
    const { runId } = s.runs.start(tinyConfig(100_000), '/');
    await waitFor('a few steps', () => s.registry.metrics.forRun(runId).length >= 3);
    assert.deepEqual(s.runs.stop(runId), { stopping: true });
    await s.supervisor.waitForExit(runId);
    const run = s.runs.get(runId);
    assert.equal(run.status, 'stopped');
    assert.ok(run.lastStep !== null && run.lastStep >= 3 && run.lastStep < 100_000);
  } finally {
    await s.close();
  }
});

test('a missing or broken model folder is refused before a run is recorded; a bad data row fails the run with file and line', async () => {
  const s = services();
  try {
    assert.throws(() => s.runs.start(tinyConfig(5, { model: '/nonexistent/model' }), '/'), /config\.model: \/nonexistent\/model is not a model folder/);
    const broken = tempDir();
    writeFileSync(join(broken, 'config.json'), JSON.stringify({ model_type: 'llama', hidden_size: 'wide' }));
    assert.throws(() => s.runs.start(tinyConfig(5, { model: broken }), '/'), /config\.json: invalid llama config/);
    assert.deepEqual(s.runs.list(), []);
    const data = join(tempDir(), 'bad.jsonl');
    writeFileSync(data, '{"input_ids": [1, 2, 3]}\n{"input_ids": "three"}\n');
    const { runId } = s.runs.start(tinyConfig(5, { data: { train: data, eval: null, max_seq_len: 32 } }), '/');
    await s.supervisor.waitForExit(runId);
    const run = s.runs.get(runId);
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /bad\.jsonl:2/);
  } finally {
    await s.close();
  }
});

test('SIGKILL of the engine mid-run leaves the registry intact and the run crashed with a reason', async () => {
  const s = services();
  try {
    const { runId } = s.runs.start(tinyConfig(100_000), '/');
    await waitFor('ten recorded steps', () => s.registry.metrics.forRun(runId).length >= 10);
    const pid = s.supervisor.pidOf(runId);
    assert.ok(pid);
    assert.equal(s.registry.runs.get(runId)?.pid, pid);
    process.kill(pid, 'SIGKILL');
    await s.supervisor.waitForExit(runId);

    const run = s.runs.get(runId);
    assert.equal(run.status, 'crashed');
    assert.match(run.error ?? '', /killed by SIGKILL/);
    assert.ok(run.endedAt !== null);

    const db = new Database(s.registry.path, { readonly: true });
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      db.close();
    }
    // Every committed batch is whole: the steps form an unbroken prefix.
    const steps = s.registry.metrics.forRun(runId, { names: ['loss'] }).map((p) => p.step);
    assert.deepEqual(steps, Array.from({ length: steps.length }, (_, i) => i + 1));
  } finally {
    await s.close();
  }
});
