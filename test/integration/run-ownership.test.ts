// Who owns a run, with real processes: a signal to the CLI that supervises a run
// ends it `stopped` with a checkpoint (the engine survives the broken channel),
// a run whose engine is gone is never reported `running` by any reader, and two
// resumes at once leave exactly one engine on the run — the other is refused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createServices } from '../../src/main/services/index';
import { runConfigSchema } from '../../src/shared/config/run-config';
import { tempDir } from '../helpers';
import { adapterBytes, cli, peek, startCli, waitForDeath, waitForRun, writeTinyConfig } from '../fault/tiny-run';

const STEPS = 30;

test('SIGTERM, SIGHUP or SIGKILL to the CLI: the engine records `stopped` with a checkpoint, and resume finishes byte-identically', async () => {
  const dir = tempDir();
  const config = writeTinyConfig(dir, STEPS, 5);
  const straightReg = join(dir, 'straight.sqlite');
  const straight = cli(['train', config, '--json'], straightReg);
  assert.equal(straight.status, 0, straight.stderr);
  const reference = adapterBytes(straightReg, 1);

  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGKILL'] as const) {
    const registry = join(dir, `${signal}.sqlite`);
    const train = startCli(['train', config, '--json'], registry);
    const running = await waitForRun(registry, 1, 'a checkpoint', (s) => s.status === 'running' && s.checkpoint >= 5 && s.pid !== null);
    train.child.kill(signal);
    await train.exit;
    await waitForDeath(running.pid!);
    const after = peek(registry, 1)!;
    assert.equal(after.status, 'stopped', `${signal}: ${JSON.stringify(after)}`);
    assert.ok(after.checkpoint >= after.lastStep, `${signal}: the stop left no checkpoint at its last step`);

    const resumed = cli(['resume', '1', '--json'], registry);
    assert.equal(resumed.status, 0, `${signal}: ${resumed.stderr}`);
    assert.equal(JSON.parse(resumed.stdout).status, 'completed');
    assert.ok(adapterBytes(registry, 1).equals(reference), `${signal}: the resumed adapter differs from an uninterrupted run's`);
  }
});

test('SIGKILL of the CLI and its engine: runs list, show and the services report the run crashed, not running', async () => {
  const dir = tempDir();
  const registry = join(dir, 'registry.sqlite');
  const train = startCli(['train', writeTinyConfig(dir, 100_000, 5), '--json'], registry);
  const running = await waitForRun(registry, 1, 'a running engine', (s) => s.status === 'running' && s.pid !== null && s.lastStep >= 2);
  process.kill(running.pid!, 'SIGKILL');
  train.child.kill('SIGKILL');
  await train.exit;
  await waitForDeath(running.pid!);
  assert.equal(peek(registry, 1)!.status, 'running', 'precondition: nothing recorded the deaths');

  const list = cli(['runs', 'list', '--json'], registry);
  assert.equal(list.status, 0, list.stderr);
  assert.equal(JSON.parse(list.stdout).runs[0].status, 'crashed');
  assert.equal(peek(registry, 1)!.status, 'crashed', 'runs list must record what it found');
  assert.match(peek(registry, 1)!.error ?? '', new RegExp(`engine process ${running.pid} is no longer running`));
  const show = JSON.parse(cli(['runs', 'show', '1', '--json'], registry).stdout);
  assert.equal(show.status, 'crashed');
});

test('a run left `running` by a dead engine is crashed for a services reader that opened the registry before the death', async () => {
  const dir = tempDir();
  const registry = join(dir, 'registry.sqlite');
  const s = createServices({ registryPath: registry, backend: 'wasm' });
  try {
    const train = startCli(['train', writeTinyConfig(dir, 100_000, 5), '--json'], registry);
    const running = await waitForRun(registry, 1, 'a checkpoint', (r) => r.status === 'running' && r.pid !== null && r.checkpoint >= 5);
    assert.equal(s.runs.list()[0]!.status, 'running');
    train.child.kill('SIGKILL');
    process.kill(running.pid!, 'SIGKILL');
    await train.exit;
    await waitForDeath(running.pid!);
    assert.equal(s.runs.list()[0]!.status, 'crashed');
    assert.equal(s.runs.get(1).status, 'crashed');
    // And it can be resumed from here, by this process.
    const r = s.runs.resume(1);
    assert.equal(r.runId, 1);
    s.runs.stop(1);
    await s.supervisor.waitForExit(1);
  } finally {
    await s.close();
  }
});

test('two resumes at once: one engine continues, the other is refused with CONFLICT and touches nothing', async () => {
  const dir = tempDir();
  const registry = join(dir, 'registry.sqlite');
  const config = writeTinyConfig(dir, STEPS, 5);
  const train = startCli(['train', config, '--json'], registry);
  await waitForRun(registry, 1, 'a checkpoint', (s) => s.status === 'running' && s.checkpoint >= 5);
  train.child.kill('SIGTERM');
  await train.exit;
  await waitForRun(registry, 1, 'the stop', (s) => s.status === 'stopped');

  const [a, b] = [startCli(['resume', '1', '--json'], registry), startCli(['resume', '1', '--json'], registry)];
  const results = await Promise.all([a.exit, b.exit]);
  const winners = results.filter((r) => r.code === 0);
  const losers = results.filter((r) => r.code !== 0);
  assert.equal(winners.length, 1, results.map((r) => r.stderr).join('\n---\n'));
  assert.equal(JSON.parse(winners[0]!.stdout).status, 'completed');
  assert.match(losers[0]!.stderr, /run 1 is (queued|running)/);
  const final = peek(registry, 1)!;
  assert.equal(final.status, 'completed');
  assert.equal(final.error, null);
  assert.equal(final.lastStep, STEPS);
});

test('a double click on Resume: the second resume is CONFLICT while the first engine owns the run', async () => {
  const dir = tempDir();
  const registry = join(dir, 'registry.sqlite');
  const s = createServices({ registryPath: registry, backend: 'wasm' });
  try {
    const cfg = runConfigSchema.parse(JSON.parse(readFileSync(writeTinyConfig(dir, STEPS, 5), 'utf8')));
    const { runId } = s.runs.start(cfg, '/');
    await waitForRun(registry, runId, 'a checkpoint', (r) => r.checkpoint >= 5);
    s.runs.stop(runId);
    await s.supervisor.waitForExit(runId);
    assert.equal(s.runs.get(runId).status, 'stopped');
    s.runs.resume(runId);
    assert.throws(() => s.runs.resume(runId), (err: Error & { code?: string }) => err.code === 'CONFLICT' && /run \d+ is queued/.test(err.message));
    await s.supervisor.waitForExit(runId);
    const run = s.runs.get(runId);
    assert.equal(run.status, 'completed', run.error ?? '');
    assert.equal(run.lastStep, STEPS);
  } finally {
    await s.close();
  }
});
