// import-job on the layouts a cluster leaves: a Trainer checkpoint-N folder (adapter,
// trainer_state.json and optimizer pickles side by side) and a run stopped early.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openRegistry } from '../../registry/index';
import { importJob, runFolder } from './import-job';

const FIXTURE = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'job-output', 'output');
const dir = mkdtempSync(join(tmpdir(), 'loralab-import-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a Trainer checkpoint-N folder imports as a stopped run; pickled optimizer and RNG files are not copied', () => {
  const registry = openRegistry(join(dir, 'registry.sqlite'));
  try {
    const ckpt = join(dir, 'checkpoints', 'checkpoint-4');
    cpSync(join(FIXTURE, 'adapter'), ckpt, { recursive: true });
    const state = JSON.parse(readFileSync(join(FIXTURE, 'trainer_state.json'), 'utf8'));
    state.global_step = 4;
    state.log_history = state.log_history.filter((e: { step: number; train_runtime?: number }) => e.step <= 4 && e.train_runtime === undefined);
    writeFileSync(join(ckpt, 'trainer_state.json'), JSON.stringify(state));
    for (const f of ['optimizer.pt', 'scheduler.pt', 'rng_state.pth', 'training_args.bin']) writeFileSync(join(ckpt, f), 'pickle');

    const r = importJob(registry, ckpt);
    assert.equal(r.status, 'stopped', 'global_step 4 of max_steps 6');
    assert.equal(r.steps, 4);
    assert.equal(r.parentRunId, null);
    assert.deepEqual(r.metrics, { eval_loss: 2, eval_perplexity: 2, grad_norm: 4, loss: 4, lr: 4 });
    assert.match(r.warnings.join('\n'), /no job_versions\.json/);
    assert.equal(r.artifact.path, join(runFolder(registry.path, r.runId), 'adapter'));
    assert.deepEqual(readdirSync(r.artifact.path).sort(), ['adapter_config.json', 'adapter_model.safetensors', 'trainer_state.json']);
    const run = registry.runs.get(r.runId)!;
    assert.equal(run.status, 'stopped');
    assert.equal(run.name, 'checkpoint-4 (imported)');
    assert.equal((run.config as { method: string }).method, 'lora');
  } finally {
    registry.close();
  }
});

test('an adapter saved as a pickle is refused with the way to convert it, and nothing is recorded', () => {
  const registry = openRegistry(join(dir, 'pickle.sqlite'));
  try {
    const out = join(dir, 'pickled');
    cpSync(FIXTURE, out, { recursive: true });
    rmSync(join(out, 'adapter', 'adapter_model.safetensors'));
    writeFileSync(join(out, 'adapter', 'adapter_model.bin'), 'pickle');
    assert.throws(() => importJob(registry, out), /adapter_model\.bin is a pickled PyTorch file.*safe_serialization=True/);
    assert.equal(registry.runs.list().length, 0);
    assert.equal(existsSync(join(dir, 'pickle-runs')), false);
  } finally {
    registry.close();
  }
});

test("a job exported from another registry's run imports without lineage, and says why", () => {
  const registry = openRegistry(join(dir, 'other.sqlite'));
  try {
    const here = registry.runs.create({ name: 'unrelated', method: 'lora', config: {} });
    registry.runs.finish(here.id, 'completed');
    const job = join(dir, 'foreign-job');
    cpSync(FIXTURE, join(job, 'output'), { recursive: true });
    const config = JSON.parse(readFileSync(join(FIXTURE, '..', 'config.json'), 'utf8'));
    writeFileSync(
      join(job, 'job.json'),
      JSON.stringify({ format: 'loralab-job/1', sourceRunId: here.id, sourceRegistry: '/elsewhere/registry.sqlite', name: config.name, strategy: 'ddp', gpus: 1, config, exportedAt: '2026-12-01T00:00:00Z', versions: {} }),
    );
    const r = importJob(registry, job);
    assert.equal(r.parentRunId, null, 'run 1 here is not the run it came from');
    assert.match(r.warnings.join('\n'), /exported from run 1 of \/elsewhere\/registry\.sqlite, which is not in this registry/);
    writeFileSync(join(job, 'job.json'), JSON.stringify({ format: 'loralab-job/1', sourceRunId: 'one' }));
    assert.throws(() => importJob(registry, job), /job\.json: field "sourceRunId": /);
  } finally {
    registry.close();
  }
});

test('a full fine-tuning job (output/model) imports as a model artifact of a full run', () => {
  const registry = openRegistry(join(dir, 'full.sqlite'));
  try {
    const out = join(dir, 'full-output');
    cpSync(join(FIXTURE, '..', '..', 'models', 'tiny-llama'), join(out, 'model'), { recursive: true });
    cpSync(join(FIXTURE, 'trainer_state.json'), join(out, 'trainer_state.json'));
    cpSync(join(FIXTURE, 'job_versions.json'), join(out, 'job_versions.json'));
    const r = importJob(registry, out);
    assert.deepEqual(r.artifact, { kind: 'model', path: join(runFolder(registry.path, r.runId), 'model') });
    assert.ok(existsSync(join(r.artifact.path, 'model.safetensors')));
    assert.equal(registry.runs.get(r.runId)!.method, 'full');
    assert.deepEqual(r.warnings, []);
  } finally {
    registry.close();
  }
});
