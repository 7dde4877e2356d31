// AdaLoRA end to end through the supervisor and a real engine process on the tiny
// Llama fixture: a run killed with SIGKILL and resumed ends with the byte-identical
// adapter, loss curve and rank history of an uninterrupted run (the importance EMAs
// and the mask come back from the checkpoint exactly); `loralab runs show --json`
// has the final ranks; method/section mismatches and an init_from rank that
// disagrees with its source are config errors before any run is recorded.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runConfigSchema, type RunConfigInput } from '../../src/shared/config/run-config';
import { createServices, type Services } from '../../src/main/services/index';
import { CLI, ROOT, tempDir, waitFor } from '../helpers';

const LLAMA = join(ROOT, 'test/fixtures/models/tiny-llama');
const DATA = join(LLAMA, 'eval.jsonl');
const MATRICES = 4; // q_proj and v_proj in 2 layers

function config(overrides: Partial<RunConfigInput> & { train?: RunConfigInput['train'] } = {}) {
  return runConfigSchema.parse({
    name: 'tiny-adalora',
    model: LLAMA,
    method: 'adalora',
    lora: { alpha: 8, dropout: 0.1, targets: ['q_proj', 'v_proj'] },
    adalora: { init_r: 6, target_r: 3, tinit: 5, tfinal: 15, delta_t: 5 },
    data: { train: DATA, eval: DATA, max_seq_len: 64 },
    ...overrides,
    train: { steps: 60, batch_size: 2, lr: 0.005, schedule: 'cosine', warmup_steps: 5, save_every: 5, eval_every: 20, seed: 3, ...overrides.train },
  });
}

const services = (): Services => createServices({ registryPath: join(tempDir(), 'registry.sqlite'), backend: 'wasm' });
const lossCurve = (s: Services, runId: number) => s.registry.metrics.forRun(runId, { names: ['loss', 'orth_reg', 'adalora_budget'] }).map((p) => [p.step, p.name, p.value]);
const adapterOf = (s: Services, runId: number) => s.registry.artifacts.forRun(runId).find((a) => a.kind === 'adapter')!.path;

test('an AdaLoRA run killed with SIGKILL and resumed ends byte-identical to an uninterrupted one, with its ranks in runs show --json', async () => {
  const s = services();
  try {
    const straight = s.runs.start(config(), '/').runId;
    await s.supervisor.waitForExit(straight);
    assert.equal(s.runs.get(straight).status, 'completed', s.runs.get(straight).error ?? '');

    const killed = s.runs.start(config(), '/').runId;
    await waitFor('a checkpoint at step 15 or later', () => (s.registry.checkpoints.latest(killed)?.step ?? 0) >= 15, 180_000, 5);
    process.kill(s.supervisor.pidOf(killed)!, 'SIGKILL');
    await s.supervisor.waitForExit(killed);
    assert.equal(s.runs.get(killed).status, 'crashed');
    const stoppedAt = s.runs.get(killed).lastStep!;
    assert.ok(stoppedAt < 45, `the run got past the final allocation (step ${stoppedAt}) before it was killed`);

    s.runs.resume(killed);
    await s.supervisor.waitForExit(killed);
    assert.equal(s.runs.get(killed).status, 'completed', s.runs.get(killed).error ?? '');

    assert.deepEqual(lossCurve(s, killed), lossCurve(s, straight));
    assert.deepEqual(s.registry.ranks.forRun(killed), s.registry.ranks.forRun(straight));
    for (const file of ['adapter_model.safetensors', 'adapter_config.json']) {
      const a = readFileSync(join(adapterOf(s, straight), file));
      const b = readFileSync(join(adapterOf(s, killed), file));
      assert.ok(a.equals(b), `${file} differs after resume`);
    }

    // Masking steps: every 5 in (5, 45), then the final allocation at 60 − 15 = 45.
    const steps = [...new Set(s.registry.ranks.forRun(straight).map((r) => r.step))];
    assert.deepEqual(steps, [10, 15, 20, 25, 30, 35, 40, 45]);
    const shown = spawnSync(process.execPath, [CLI, 'runs', 'show', String(straight), '--json', '--registry', s.registry.path], { encoding: 'utf8' });
    assert.equal(shown.status, 0, shown.stderr);
    const finalRanks = JSON.parse(shown.stdout).finalRanks as { module: string; rank: number }[];
    assert.equal(finalRanks.length, MATRICES);
    assert.equal(finalRanks.reduce((n, r) => n + r.rank, 0), 3 * MATRICES);
    const saved = JSON.parse(readFileSync(join(adapterOf(s, straight), 'adapter_config.json'), 'utf8')).rank_pattern as Record<string, boolean[]>;
    for (const r of finalRanks) assert.equal(saved[`${r.module}.lora_E`]!.filter(Boolean).length, r.rank);

    // A finished AdaLoRA adapter continues as init_from (its kept triplets, ranknum init_r).
    const child = s.runs.start(
      config({ init_from: straight, adalora: { init_r: 6, target_r: 2, tinit: 2, tfinal: 4, delta_t: 2 }, train: { steps: 12, save_every: null, eval_every: null } }),
      '/',
    ).runId;
    await s.supervisor.waitForExit(child);
    assert.equal(s.runs.get(child).status, 'completed', s.runs.get(child).error ?? '');
    assert.equal(s.runs.get(child).parentRunId, straight);
    // It budgets down from the kept triplets (12 of them) to target_r 2 × 4 matrices.
    assert.equal(s.registry.ranks.final(child).reduce((n, r) => n + r.rank, 0), 2 * MATRICES);
  } finally {
    await s.close();
  }
});

test('a method section of another method, or an init_from rank that disagrees, is a config error and records no run', async () => {
  const s = services();
  try {
    // Every caller parses with the one schema; the method check runs inside it.
    const mismatch = runConfigSchema.safeParse({ ...config(), method: 'lora', lora: { r: 4 } });
    assert.equal(mismatch.success, false);
    assert.deepEqual(mismatch.error!.issues.map((i) => [i.path.join('.'), i.message]), [
      ['adalora', 'the "adalora" section applies to method adalora, but this config\'s method is lora (remove the section, or set method: adalora)'],
    ]);
    const parent = s.runs.start(config({ method: 'lora', adalora: undefined, lora: { r: 4, alpha: 8, targets: ['q_proj'] }, train: { steps: 2, eval_every: null } }), '/').runId;
    await s.supervisor.waitForExit(parent);
    assert.equal(s.runs.get(parent).status, 'completed', s.runs.get(parent).error ?? '');
    const before = s.registry.runs.list().length;
    assert.throws(
      () => s.runs.start(config({ method: 'lora', adalora: undefined, lora: { r: 8, alpha: 8 }, init_from: parent }), '/'),
      (err: Error) => /config\.lora\.r: is 8, but the init_from adapter .* has r 4/.test(err.message),
    );
    assert.throws(() => s.runs.start(config({ init_from: parent }), '/'), /config\.init_from: .* is a LORA adapter; method adalora continues ADALORA adapters/);
    // What the model folder decides is checked from its headers before recording, too.
    assert.throws(() => s.runs.start(config({ lora: { alpha: 8, targets: ['qproj'] } }), '/'), /config\.lora\.targets: target "qproj" matches no module; did you mean q_proj\?/);
    assert.throws(() => s.runs.start(config({ lora: { alpha: 8, targets: ['embed_tokens'] } }), '/'), /config\.lora\.targets: target "model\.embed_tokens" is an Embedding/);
    assert.equal(s.registry.runs.list().length, before, 'a refused config recorded a run');
  } finally {
    await s.close();
  }
});

test('`loralab eval` of an AdaLoRA adapter LoRA Lab trained matches PyTorch on the saved files, and so does its merge', () => {
  const adapter = join(ROOT, 'test/fixtures/lora/tiny-llama-adalora-lab');
  const expected = JSON.parse(readFileSync(join(adapter, 'expected.json'), 'utf8'));
  // The fixture has a module pruned to rank 0 (lora_A [0, in]): PEFT's files allow it, so must we.
  assert.ok(Object.values(expected.ranks as Record<string, number>).includes(0));
  const loralab = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  const evalOf = (model: string, extra: string[] = []) => {
    const r = loralab(['eval', '--model', model, ...extra, '--data', DATA, '--json']);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { loss: number; tokens: number };
  };
  const adapted = evalOf(LLAMA, ['--adapter', adapter]);
  assert.equal(adapted.tokens, expected.tokens);
  const rel = (x: number) => Math.abs(x - expected.eval_loss_adapted) / expected.eval_loss_adapted;
  assert.ok(rel(adapted.loss) < 1e-5, `eval ${adapted.loss} vs PyTorch ${expected.eval_loss_adapted}`);
  const out = join(tempDir(), 'merged');
  const merged = loralab(['merge', '--base', LLAMA, '--adapter', adapter, '--out', out, '--dtype', 'float32']);
  assert.equal(merged.status, 0, merged.stderr);
  assert.ok(rel(evalOf(out).loss) < 1e-5, 'the merged model computes what the adapter does');
});
