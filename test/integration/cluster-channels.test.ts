// cluster.exportJob / cluster.importJob through the router, as the UI calls them:
// validated requests, results the contract allows, errors as data naming the key.
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createServices } from '../../src/main/services/index';
import { ROOT, tempDir } from '../helpers';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'job-output');
const MODEL = join(ROOT, 'test', 'fixtures', 'models', 'tiny-llama');

test('export a registry run and import its job output over the contract; the imported run is listed with lineage', async () => {
  const dir = tempDir('loralab-cluster-ipc-');
  // Relative job folders go beside the registry, not into the server's working folder.
  const services = createServices({ registryPath: join(dir, 'registry.sqlite'), baseDir: join(dir, 'cwd') });
  try {
    // A recorded run to export (not trained: export reads only its config).
    const config = JSON.parse(readFileSync(join(FIXTURE, 'config.json'), 'utf8'));
    const source = services.registry.runs.create({
      name: config.name,
      method: 'lora',
      config: { ...config, model: MODEL, data: { ...config.data, train: join(MODEL, 'eval.jsonl'), eval: join(MODEL, 'eval.jsonl') } },
    });
    services.registry.runs.finish(source.id, 'completed');

    const exported = await services.router.dispatch('cluster.exportJob', { runId: source.id, out: 'job', gpus: 8, strategy: 'deepspeed-zero2' });
    assert.ok(exported.ok, JSON.stringify(exported));
    const job = exported.value as { dir: string; gpus: number; sourceRunId: number };
    assert.equal(job.dir, join(dir, 'job'));
    assert.deepEqual([job.gpus, job.sourceRunId], [8, source.id]);
    assert.ok(existsSync(join(job.dir, 'deepspeed.json')));

    const refused = await services.router.dispatch('cluster.exportJob', { runId: source.id, out: 'job2', strategy: 'mpi' });
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.error.code, 'VALIDATION');

    cpSync(join(FIXTURE, 'output'), join(job.dir, 'output'), { recursive: true });
    const imported = await services.router.dispatch('cluster.importJob', { dir: 'job' });
    assert.ok(imported.ok, JSON.stringify(imported));
    const run = imported.value as { runId: number; parentRunId: number };
    assert.equal(run.parentRunId, source.id);
    const listed = await services.router.dispatch('runs.get', { runId: run.runId });
    assert.ok(listed.ok);
    const detail = listed.value as { lineage: number[]; tags: string[]; artifacts: { kind: string }[]; bestEvalLoss: number };
    assert.deepEqual(detail.lineage, [source.id]);
    assert.deepEqual(detail.tags, ['cluster']);
    assert.equal(detail.artifacts[0]!.kind, 'adapter');
    const evalLosses = JSON.parse(readFileSync(join(FIXTURE, 'output', 'trainer_state.json'), 'utf8')).log_history.flatMap((e: { eval_loss?: number }) => (e.eval_loss === undefined ? [] : [e.eval_loss]));
    assert.equal(detail.bestEvalLoss, Math.min(...evalLosses));

    const missing = await services.router.dispatch('cluster.importJob', { dir: 'nowhere' });
    assert.equal(!missing.ok && missing.error.code, 'NOT_FOUND');
    assert.match(!missing.ok ? missing.error.message : '', /nowhere: no such folder/);
  } finally {
    await services.close();
  }
});
