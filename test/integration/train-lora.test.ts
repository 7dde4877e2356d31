// LoRA training end to end through the supervisor and a real engine process on
// the tiny Llama fixture: exact resume after SIGKILL, continuing from an adapter,
// PEFT's file format, and a diverging loss recorded as a failure with its step.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runConfigSchema, type RunConfigInput } from '../../src/shared/config/run-config';
import { SafetensorsFile, writeSafetensors } from '../../src/main/engine/io/safetensors/index';
import { createServices, type Services } from '../../src/main/services/index';
import { CLI, ROOT, tempDir, waitFor } from '../helpers';

const LLAMA = join(ROOT, 'test/fixtures/models/tiny-llama');
const DATA = join(LLAMA, 'eval.jsonl');

function config(overrides: Partial<RunConfigInput> & { train?: RunConfigInput['train'] } = {}) {
  return runConfigSchema.parse({
    name: 'tiny-lora',
    model: LLAMA,
    method: 'lora',
    lora: { r: 4, alpha: 8, dropout: 0.1, targets: ['q_proj', 'v_proj'] },
    data: { train: DATA, eval: DATA, max_seq_len: 64 },
    ...overrides,
    train: { steps: 120, batch_size: 2, lr: 0.005, schedule: 'cosine', warmup_steps: 5, save_every: 10, eval_every: 40, seed: 3, ...overrides.train },
  });
}

const services = (): Services => createServices({ registryPath: join(tempDir(), 'registry.sqlite'), backend: 'wasm' });
const lossCurve = (s: Services, runId: number) => s.registry.metrics.forRun(runId, { names: ['loss'] }).map((p) => [p.step, p.value]);
const adapterOf = (s: Services, runId: number) => s.registry.artifacts.forRun(runId).find((a) => a.kind === 'adapter')!.path;

test('a run killed with SIGKILL and resumed ends with adapter weights and a loss curve identical to an uninterrupted run', async () => {
  const s = services();
  try {
    const straight = s.runs.start(config(), '/').runId;
    await s.supervisor.waitForExit(straight);
    assert.equal(s.runs.get(straight).status, 'completed', s.runs.get(straight).error ?? '');

    const killed = s.runs.start(config(), '/').runId;
    await waitFor('a checkpoint at step 30 or later', () => (s.registry.checkpoints.latest(killed)?.step ?? 0) >= 30, 60_000, 5);
    process.kill(s.supervisor.pidOf(killed)!, 'SIGKILL');
    await s.supervisor.waitForExit(killed);
    assert.equal(s.runs.get(killed).status, 'crashed');
    const stoppedAt = s.runs.get(killed).lastStep!;
    assert.ok(stoppedAt < 120, 'the run finished before it could be killed');

    const resumed = s.runs.resume(killed);
    assert.equal(resumed.runId, killed);
    await s.supervisor.waitForExit(killed);
    assert.equal(s.runs.get(killed).status, 'completed', s.runs.get(killed).error ?? '');

    assert.deepEqual(lossCurve(s, killed), lossCurve(s, straight));
    const a = readFileSync(join(adapterOf(s, straight), 'adapter_model.safetensors'));
    const b = readFileSync(join(adapterOf(s, killed), 'adapter_model.safetensors'));
    assert.ok(a.equals(b), 'adapter weights differ after resume');
    const evalA = s.registry.metrics.forRun(straight, { names: ['eval_loss'] });
    assert.deepEqual(s.registry.metrics.forRun(killed, { names: ['eval_loss'] }).map((p) => p.value), evalA.map((p) => p.value));
  } finally {
    await s.close();
  }
});

test('a run continued from an adapter starts at its parent\'s eval loss and records the parent', async () => {
  const s = services();
  try {
    const parent = s.runs.start(config({ train: { steps: 40, eval_every: 40 } }), '/').runId;
    await s.supervisor.waitForExit(parent);
    const parentEval = s.registry.metrics.forRun(parent, { names: ['eval_loss'] });
    const baseLoss = parentEval[0]!.value; // step 0: the base model
    const parentFinal = parentEval.at(-1)!.value;
    assert.ok(parentFinal < baseLoss);

    for (const initFrom of [parent, adapterOf(s, parent)] as const) {
      const child = s.runs.start(config({ init_from: initFrom, train: { steps: 5, lr: 0.001 } }), '/').runId;
      await s.supervisor.waitForExit(child);
      const run = s.runs.get(child);
      assert.equal(run.status, 'completed', run.error ?? '');
      assert.equal(run.parentRunId, parent);
      const start = s.registry.metrics.forRun(child, { names: ['eval_loss'] })[0]!;
      assert.equal(start.step, 0);
      assert.ok(Math.abs(start.value - parentFinal) < 1e-6, `child starts at ${start.value}, parent ended at ${parentFinal}, base ${baseLoss}`);
      const shown = spawnSync(process.execPath, [CLI, 'runs', 'show', String(child), '--json', '--registry', s.registry.path], { encoding: 'utf8' });
      assert.equal(shown.status, 0, shown.stderr);
      const json = JSON.parse(shown.stdout);
      assert.equal(json.parentRunId, parent);
      assert.deepEqual(json.lineage, [parent]);
    }
  } finally {
    await s.close();
  }
});

test('the saved adapter has exactly PEFT\'s key names, shapes and adapter_config.json fields', async () => {
  const s = services();
  try {
    const runId = s.runs.start(config({ train: { steps: 2 } }), '/').runId;
    await s.supervisor.waitForExit(runId);
    const ours = adapterOf(s, runId);
    const fixture = join(ROOT, 'test/fixtures/lora/tiny-llama-qv');
    const shapes = (dir: string) => {
      const f = SafetensorsFile.open(join(dir, 'adapter_model.safetensors'));
      try {
        return { tensors: [...f.header.tensors.values()].map((t) => [t.name, t.dtype, t.shape]).sort(), metadata: f.header.metadata };
      } finally {
        f.close();
      }
    };
    assert.deepEqual(shapes(ours), shapes(fixture));
    const cfg = (dir: string) => JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8'));
    const [a, b] = [cfg(ours), cfg(fixture)];
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
    for (const key of Object.keys(b)) {
      if (key === 'base_model_name_or_path' || key === 'lora_dropout') continue;
      assert.deepEqual(a[key], b[key], `adapter_config.json "${key}"`);
    }
    // PEFT's serialization: sorted keys, indent 2, trailing newline.
    const text = readFileSync(join(ours, 'adapter_config.json'), 'utf8');
    assert.equal(text, JSON.stringify(a, Object.keys(a).sort(), 2) + '\n');
  } finally {
    await s.close();
  }
});

test('a loss that becomes non-finite fails the run with the step and the reason', async () => {
  // A base model with one corrupt (NaN) weight: the first step's loss is NaN.
  const dir = tempDir();
  copyFileSync(join(LLAMA, 'config.json'), join(dir, 'config.json'));
  const src = SafetensorsFile.open(join(LLAMA, 'model.safetensors'));
  const tensors = [...src.header.tensors.values()].map((t) => ({ name: t.name, dtype: 'F32' as const, shape: t.shape, data: src.readFloat32(t.name) }));
  src.close();
  tensors.find((t) => t.name === 'model.layers.1.mlp.down_proj.weight')!.data[5] = Number.NaN;
  writeSafetensors(join(dir, 'model.safetensors'), tensors);

  const s = services();
  try {
    const runId = s.runs.start(config({ model: dir, data: { train: DATA, eval: null, max_seq_len: 64 }, train: { steps: 5, eval_every: null } }), '/').runId;
    await s.supervisor.waitForExit(runId);
    const run = s.runs.get(runId);
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /loss became NaN at step 1/);
    assert.equal(s.registry.metrics.forRun(runId, { names: ['loss'] }).length, 0, 'a NaN loss was recorded as a metric');
  } finally {
    await s.close();
  }
});
