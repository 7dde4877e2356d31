// Non-finite metrics cross the contract as 'Infinity' / '-Infinity' (JSON has no
// infinities), and nothing a poll meets — an infinite value, a registry that fails
// — escapes its timer. Real SQLite registry, real event hub.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { openRegistry } from '../registry/index';
import { tempDir } from '../../../test/helpers';
import { EventHub } from './event-hub';
import { MetricsTail } from './metrics-tail';
import { createServices } from './index';

function setup() {
  const registry = openRegistry(join(tempDir(), 'registry.sqlite'));
  const run = registry.runs.create({ name: 'inf', method: 'lora', config: {} });
  return { registry, runId: run.id };
}

test('an infinite grad_norm reaches subscribers as "Infinity", and the loss stays a number', () => {
  const { registry, runId } = setup();
  const hub = new EventHub();
  const got: unknown[] = [];
  hub.subscribe((event, payload) => event === 'onMetrics' && got.push(payload));
  const tail = new MetricsTail(registry, hub);
  registry.metrics.append(runId, [
    { step: 1, name: 'loss', value: 2.5, wallTime: 1 },
    { step: 1, name: 'grad_norm', value: Number.POSITIVE_INFINITY, wallTime: 1 },
    { step: 1, name: 'eval_loss', value: Number.NEGATIVE_INFINITY, wallTime: 1 },
  ]);
  tail.poll();
  assert.equal(got.length, 1);
  const values = Object.fromEntries((got[0] as { points: { name: string; value: unknown }[] }).points.map((p) => [p.name, p.value]));
  assert.deepEqual(values, { loss: 2.5, grad_norm: 'Infinity', eval_loss: '-Infinity' });
  // The same values survive JSON (the WebSocket), unlike a bare Infinity, which becomes null.
  assert.deepEqual(JSON.parse(JSON.stringify(values)), values);
  registry.close();
});

test('a poll that fails reports it and returns; the timer keeps running', async () => {
  const { registry, runId } = setup();
  const hub = new EventHub();
  const tail = new MetricsTail(registry, hub, 5);
  const errors: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => (errors.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    registry.metrics.append(runId, [{ step: 1, name: 'loss', value: 1, wallTime: 1 }]);
    registry.close(); // every query now throws "The database connection is not open"
    assert.doesNotThrow(() => tail.poll());
    tail.start();
    await new Promise((r) => setTimeout(r, 40));
    tail.stop();
  } finally {
    process.stderr.write = write;
  }
  assert.ok(errors.some((e) => /metrics tail/.test(e)), errors.join(''));
});

test('a listener that throws, or an event that fails its schema, does not escape emit', () => {
  const hub = new EventHub();
  const seen: string[] = [];
  hub.subscribe(() => {
    throw new Error('a socket went away');
  });
  hub.subscribe((event) => seen.push(event));
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    assert.doesNotThrow(() => hub.emit('onRunStatus', { runId: 1, status: 'running', error: null }));
    assert.doesNotThrow(() => hub.emit('onProgress', { runId: 1, step: 1, totalSteps: 2, loss: Number.POSITIVE_INFINITY } as never));
  } finally {
    process.stderr.write = write;
  }
  assert.deepEqual(seen, ['onRunStatus']);
});

test('the tail announces a run whose engine died elsewhere as crashed, within a few polls', () => {
  const { registry, runId } = setup();
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  registry.runs.markRunning(runId, Number(dead.stdout));
  const hub = new EventHub();
  const statuses: unknown[] = [];
  hub.subscribe((event, payload) => event === 'onRunStatus' && statuses.push(payload));
  const tail = new MetricsTail(registry, hub);
  for (let i = 0; i < 8; i++) tail.poll();
  assert.equal(statuses.length, 1);
  assert.deepEqual({ ...(statuses[0] as object), error: undefined }, { runId, status: 'crashed', error: undefined });
  assert.match((statuses[0] as { error: string }).error, /is no longer running/);
  registry.close();
});

test('runs.metrics answers non-finite values in the same representation', async () => {
  const s = createServices({ registryPath: join(tempDir(), 'registry.sqlite'), backend: 'cpu' });
  try {
    const run = s.registry.runs.create({ name: 'inf', method: 'lora', config: {} });
    s.registry.metrics.append(run.id, [{ step: 3, name: 'grad_norm', value: Number.POSITIVE_INFINITY, wallTime: 1 }]);
    const r = await s.router.dispatch('runs.metrics', { runId: run.id });
    assert.ok(r.ok);
    assert.deepEqual((r.value as { values: unknown[] }[]).map((c) => c.values), [['Infinity']]);
  } finally {
    await s.close();
  }
});
