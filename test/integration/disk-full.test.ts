// A full disk under the registry and the run folders (a real tmpfs of a few MB):
// training that hits ENOSPC in a checkpoint or SQLITE_FULL in a metrics write
// ends with a clean error (no stack trace), the run is never reported running,
// the registry passes PRAGMA integrity_check, and once space is freed the run
// resumes to the same adapter as an uninterrupted run. A merge onto a full disk
// leaves nothing at --out.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, tempDir } from '../helpers';
import { mountSmallDisk } from '../fault/small-disk';
import { adapterBytes, cli, integrityCheck, peek, startCli, waitForRun, writeTinyConfig } from '../fault/tiny-run';

const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$/m;

test('disk full during training: clean error, run not left running, integrity ok, resume after freeing space', async () => {
  const disk = mountSmallDisk(8 * 1024 * 1024);
  const registry = join(disk.dir, 'registry.sqlite');
  const config = writeTinyConfig(tempDir(), 40, 1);
  assert.equal(cli(['runs', 'list'], registry).status, 0); // creates the registry
  // The disk fills up at a point of the run: after its first checkpoints.
  const train = startCli(['train', config, '--json'], registry);
  await waitForRun(registry, 1, 'two checkpoints', (s) => s.checkpoint >= 2);
  const filler = disk.fill(16 * 1024);
  const r = await train.exit;
  assert.notEqual(r.code, 0, 'training on a full disk cannot succeed');
  assert.doesNotMatch(r.stderr, STACK_LINE, r.stderr);
  assert.match(r.stderr, /disk is full|database or disk is full|ENOSPC|no space left/i, r.stderr);
  const listed = JSON.parse(cli(['runs', 'list', '--json'], registry).stdout).runs[0];
  assert.ok(!['running', 'queued'].includes(listed.status), `reported ${listed.status} on a full disk`);

  rmSync(filler);
  assert.equal(integrityCheck(registry), 'ok');
  cli(['runs', 'list'], registry); // a reader with space records what it finds
  const recorded = peek(registry, 1)!;
  assert.ok(['crashed', 'failed'].includes(recorded.status), JSON.stringify(recorded));

  const resumed = cli(['resume', '1', '--json'], registry);
  assert.equal(resumed.status, 0, resumed.stderr);
  const straightReg = join(tempDir(), 'straight.sqlite');
  assert.equal(cli(['train', config], straightReg).status, 0);
  assert.ok(adapterBytes(registry, 1).equals(adapterBytes(straightReg, 1)), 'the resumed adapter differs from an uninterrupted run');
});

test('disk full during merge: a clean error and nothing at --out', () => {
  const disk = mountSmallDisk(2 * 1024 * 1024);
  const out = join(disk.dir, 'merged');
  disk.fill(64 * 1024); // the tiny Llama's merged weights are ~300 KB
  const registry = join(tempDir(), 'registry.sqlite');
  const r = cli(
    ['merge', '--base', join(ROOT, 'test/fixtures/models/tiny-llama'), '--adapter', join(ROOT, 'test/fixtures/lora/tiny-llama-qv'), '--out', out, '--no-verify'],
    registry,
  );
  assert.notEqual(r.status, 0);
  assert.doesNotMatch(r.stderr, STACK_LINE, r.stderr);
  assert.match(r.stderr, /no space left|ENOSPC|disk is full/i, r.stderr);
  assert.equal(existsSync(out), false, 'a partial model was left at --out');
  assert.deepEqual(readdirSync(disk.dir).filter((f) => !f.startsWith('filler-')), [], 'temporary files were left behind');
});
