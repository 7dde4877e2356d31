// Impossible sizes are refused before an engine starts, naming the config path and
// the memory the run would need; data paths that are not bounded files are refused
// naming the path. Run as a user runs them: `loralab train` on real files.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, tempDir } from '../helpers';
import { cli, LLAMA } from '../fault/tiny-run';

const BUNDLED = join(ROOT, 'resources/models/lab-tiny-llama');

function train(overrides: Record<string, unknown>) {
  const dir = tempDir();
  const config = join(dir, 'run.json');
  writeFileSync(
    config,
    JSON.stringify({
      name: 'bounds',
      model: LLAMA,
      method: 'lora',
      data: { train: join(LLAMA, 'eval.jsonl'), max_seq_len: 64 },
      train: { steps: 2, batch_size: 2 },
      ...overrides,
    }),
  );
  const registry = join(dir, 'registry.sqlite');
  const started = Date.now();
  const r = cli(['train', config, '--json'], registry);
  return { ...r, seconds: (Date.now() - started) / 1000, runs: JSON.parse(cli(['runs', 'list', '--json'], registry).stdout).runs as unknown[] };
}

const noStack = (stderr: string) => assert.doesNotMatch(stderr, /^\s+at .+:\d+:\d+\)?$/m, stderr);

test('train.batch_size 1e12 is refused before any engine starts, naming the path and the memory needed', () => {
  const r = train({ train: { steps: 2, batch_size: 1e12 } });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /train\.batch_size \(1000000000000\).*would need about [\d.e+]+ GB/);
  noStack(r.stderr);
  assert.deepEqual(r.runs, [], 'a run was recorded');
  assert.ok(r.seconds < 20, `took ${r.seconds} s`);
});

test('lora.r 100000 on the bundled model is refused on the wasm backend, naming lora.r and the memory', () => {
  const r = train({ model: BUNDLED, lora: { r: 100_000 }, data: { train: join(ROOT, 'resources/data/brown/eval.jsonl'), max_seq_len: 64 } });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /lora\.r \(100000\).*would need about [\d.]+ GB.*wasm backend can address \(4 GiB\)/);
  noStack(r.stderr);
  assert.deepEqual(r.runs, []);
});

test('data.train: /dev/zero is refused, naming the path; the process does not grow', () => {
  const r = train({ data: { train: '/dev/zero' } });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /data\.train.*\/dev\/zero/);
  noStack(r.stderr);
  assert.ok(r.seconds < 20);
});
