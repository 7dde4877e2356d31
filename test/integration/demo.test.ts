// `npm run demo` as a newcomer runs it (through `loralab demo --json`, on a fresh
// registry): the base model answers at most 5% of the held-out prompts exactly
// and the adapter at least 60% (counted by the eval job's greedy decode, not by
// this test), the held-out eval loss falls by at least half, the adapter and the
// merged, verified model exist, and the run is in the registry. Its wall time is
// measured in BENCHMARKS.md (bench/demo.ts), not asserted here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openRegistry } from '../../src/main/registry/index';
import { CLI, ROOT, tempDir } from '../helpers';

test('the demo takes held-out exact match from at most 5% to at least 60%, halves the eval loss and records everything', () => {
  const registryPath = join(tempDir(), 'registry.sqlite');
  const r = spawnSync(process.execPath, [CLI, 'demo', '--json', '--registry', registryPath], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const { exactMatchBefore: before, exactMatchAfter: after } = out;
  assert.ok(before.total >= 50 && after.total === before.total, `${before.total} and ${after.total} prompts`);
  assert.ok(before.accuracy <= 0.05, `the base model answers ${before.correct}/${before.total} held-out prompts exactly (at most 5% expected)`);
  assert.ok(after.accuracy >= 0.6, `the adapter answers ${after.correct}/${after.total} held-out prompts exactly (at least 60% expected): ${JSON.stringify(out.after)}`);
  const drop = 1 - out.evalLossAfter / out.evalLossBefore;
  assert.ok(drop >= 0.5, `eval loss ${out.evalLossBefore} → ${out.evalLossAfter} is only ${(100 * drop).toFixed(1)}% lower`);
  assert.ok(existsSync(join(out.adapterDir, 'adapter_model.safetensors')));
  assert.ok(existsSync(join(out.mergedDir, 'model.safetensors')));
  assert.ok(out.verify.maxAbsLogitDiff < 1e-3);
  assert.match(r.stderr, /before training: \d+ of \d+ held-out prompts/);
  assert.match(r.stderr, /held-out exact match: \d+% → \d+%/);

  const registry = openRegistry(registryPath, { readonly: true });
  try {
    const run = registry.runs.get(out.runId)!;
    assert.equal(run.status, 'completed');
    const kinds = registry.artifacts.forRun(out.runId).map((a) => a.kind).sort();
    assert.deepEqual(kinds, ['adapter', 'merged-model']);
    assert.ok(registry.metrics.forRun(out.runId, { names: ['eval_loss'] }).length >= 2);
  } finally {
    registry.close();
  }
});
