// The round trip through the real CLI and a real SQLite registry: a local LoRA run
// is exported as a Hugging Face job, the committed fixture stands in for what that
// job wrote on the cluster (a PEFT adapter + Trainer trainer_state.json, made by
// scripts/fixtures/make_job_output.py), and import-job records it beside the local
// run with the right metrics, artifact and lineage; LoRA Lab then evaluates the
// imported adapter to the loss PyTorch computed for it, and merges it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openRegistry } from '../../src/main/registry/index';
import { CLI, ROOT, tempDir } from '../helpers';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'job-output');
const MODEL = join(ROOT, 'test', 'fixtures', 'models', 'tiny-llama');
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8'));
const trainerState = JSON.parse(readFileSync(join(FIXTURE, 'output', 'trainer_state.json'), 'utf8'));

const loralab = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
const json = (r: ReturnType<typeof loralab>) => {
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
};

test('export a local run, import what its job wrote: metrics, adapter, lineage, and LoRA Lab evaluates the adapter', () => {
  const dir = tempDir('loralab-cluster-');
  const registry = join(dir, 'registry.sqlite');
  const local = json(loralab(['train', join(FIXTURE, 'config.json'), '--registry', registry, '--json']));
  const job = join(dir, 'job');
  const exported = json(loralab(['export-job', String(local.runId), '--out', job, '--gpus', '2', '--registry', registry, '--json']));
  assert.equal(exported.sourceRunId, local.runId);

  // The cluster ran it: its output/ comes back into the job folder.
  cpSync(join(FIXTURE, 'output'), join(job, 'output'), { recursive: true });
  const imported = json(loralab(['import-job', job, '--registry', registry, '--json']));
  assert.equal(imported.parentRunId, local.runId);
  assert.equal(imported.status, 'completed');
  assert.equal(imported.steps, expected.steps);
  assert.deepEqual(imported.metrics, { eval_loss: 3, eval_perplexity: 3, grad_norm: 6, loss: 6, lr: 6 });
  assert.deepEqual(imported.warnings, []);

  const reg = openRegistry(registry, { readonly: true });
  try {
    const run = reg.runs.get(imported.runId)!;
    assert.equal(run.status, 'completed');
    assert.equal(run.parentRunId, local.runId);
    assert.equal(run.config.name, 'cluster fixture (cluster)');
    assert.deepEqual(reg.tags.forRun(run.id), ['cluster']);
    const series = (name: string) => reg.metrics.forRun(run.id, { names: [name] }).map((p): [number, number] => [p.step, p.value]);
    assert.deepEqual(series('loss').map(([, v]) => v), expected.logged_losses);
    assert.deepEqual(series('eval_loss').map(([s]) => s), expected.eval_steps);
    // transformers 4.51 (job_versions.json) logs the rate each step used, as LoRA Lab's lr is.
    const logged = trainerState.log_history.filter((e: Record<string, number>) => 'learning_rate' in e);
    assert.deepEqual(series('lr'), logged.map((e: Record<string, number>) => [e.step, e.learning_rate]));
    assert.deepEqual(series('grad_norm').map(([, v]) => v), logged.map((e: Record<string, number>) => e.grad_norm));
    // The local run's lr, from LoRA Lab's own schedule, is the same function of the step.
    const localLr = new Map(reg.metrics.forRun(local.runId, { names: ['lr'] }).map((p) => [p.step, p.value]));
    for (const [step, value] of series('lr')) assert.ok(Math.abs(localLr.get(step)! - value) < 1e-9, `lr at step ${step}: ${localLr.get(step)} vs ${value}`);

    const [artifact] = reg.artifacts.forRun(run.id);
    assert.equal(artifact!.kind, 'adapter');
    assert.equal(artifact!.path, imported.artifact.path);
    assert.deepEqual(readFileSync(join(artifact!.path, 'adapter_model.safetensors')), readFileSync(join(FIXTURE, 'output', 'adapter', 'adapter_model.safetensors')));
  } finally {
    reg.close();
  }

  const shown = json(loralab(['runs', 'show', String(imported.runId), '--registry', registry, '--json']));
  assert.deepEqual(shown.lineage, [local.runId]);

  // What the exported job wrote, LoRA Lab evaluates: the PyTorch float64 loss of the same adapter.
  const evaluated = json(loralab(['eval', '--model', MODEL, '--adapter', imported.artifact.path, '--data', join(MODEL, 'eval.jsonl'), '--json']));
  assert.ok(Math.abs(evaluated.loss - expected.eval_loss_adapter_f64) / expected.eval_loss_adapter_f64 < 1e-5, `${evaluated.loss} vs ${expected.eval_loss_adapter_f64}`);
  // ...and merges: the merged model verifies against base + adapter and evaluates to the same loss.
  const merged = join(dir, 'merged');
  const m = loralab(['merge', '--base', MODEL, '--adapter', imported.artifact.path, '--out', merged, '--registry', registry, '--json']);
  assert.equal(m.status, 0, m.stderr);
  const mergedEval = json(loralab(['eval', '--model', merged, '--data', join(MODEL, 'eval.jsonl'), '--json']));
  assert.ok(Math.abs(mergedEval.loss - evaluated.loss) / evaluated.loss < 1e-5, `${mergedEval.loss} vs ${evaluated.loss}`);
});

test('any PEFT adapter folder with a trainer_state.json imports, its config read from adapter_config.json', () => {
  const dir = tempDir('loralab-cluster-');
  const registry = join(dir, 'registry.sqlite');
  const imported = json(loralab(['import-job', join(FIXTURE, 'output'), '--registry', registry, '--json']));
  assert.equal(imported.parentRunId, null);
  const reg = openRegistry(registry, { readonly: true });
  try {
    const config = reg.runs.get(imported.runId)!.config as { method: string; lora: { r: number; alpha: number; targets: string[] } };
    assert.equal(config.method, 'lora');
    assert.deepEqual([config.lora.r, config.lora.alpha, config.lora.targets], [4, 8, ['q_proj', 'v_proj']]);
  } finally {
    reg.close();
  }
});

test('a folder that is not a finished job, and a malformed trainer_state.json, are errors naming the file and field', () => {
  const dir = tempDir('loralab-cluster-');
  const registry = join(dir, 'registry.sqlite');
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  const none = loralab(['import-job', empty, '--registry', registry]);
  assert.equal(none.status, 1, none.stderr);
  assert.match(none.stderr, /empty: no trainer_state\.json \(looked in .*empty\/output and .*empty\); is the job finished\?/);

  const bad = join(dir, 'bad');
  cpSync(join(FIXTURE, 'output'), bad, { recursive: true });
  const state = JSON.parse(readFileSync(join(bad, 'trainer_state.json'), 'utf8'));
  state.log_history[2].step = 'two';
  writeFileSync(join(bad, 'trainer_state.json'), JSON.stringify(state));
  const r = loralab(['import-job', bad, '--registry', registry]);
  assert.equal(r.status, 2, r.stderr); // bad input, as a bad config is
  assert.match(r.stderr, /bad\/trainer_state\.json: field "log_history\[2\]\.step" must be a non-negative integer, got "two"/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  // Nothing half-imported.
  const reg = openRegistry(registry, { readonly: true });
  try {
    assert.equal(reg.runs.list().length, 0);
  } finally {
    reg.close();
  }
  assert.equal(existsSync(join(dir, 'runs')), false);
});

test('export-job refuses what the Hugging Face stack cannot express with the key and reason, and bad options as usage errors', () => {
  const dir = tempDir('loralab-cluster-');
  const config = JSON.parse(readFileSync(join(FIXTURE, 'config.json'), 'utf8'));
  const file = join(dir, 'qlora.json');
  writeFileSync(file, JSON.stringify({ ...config, model: MODEL, method: 'qlora', quant: { block_size: 128 }, data: { ...config.data, train: join(MODEL, 'eval.jsonl'), eval: null } }));
  const refused = loralab(['export-job', file, '--out', join(dir, 'job'), '--registry', join(dir, 'r.sqlite')]);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /config\.quant\.block_size: 128 is not available: bitsandbytes quantizes 4-bit weights in blocks of 64/);
  assert.equal(existsSync(join(dir, 'job')), false);
  const bad = loralab(['export-job', file, '--out', join(dir, 'job'), '--strategy', 'horovod']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--strategy must be one of ddp, deepspeed-zero2, deepspeed-zero3, fsdp, got horovod/);
  const help = loralab(['export-job', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: loralab export-job <run-id\|config\.\(yaml\|json\)> --out DIR/);
});
