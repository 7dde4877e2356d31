// The engine on the webgpu backend end to end, through the supervisor and real
// engine processes on the tiny Llama fixture (Mesa's llvmpipe here; see
// test/backends.ts for a machine without webgpu): a LoRA run killed with SIGKILL
// and resumed ends with adapter bytes, loss curve and eval losses identical to an
// uninterrupted webgpu run; `loralab eval --backend webgpu` of that adapter
// agrees with wasm within 1e-5 relative, `loralab merge --backend webgpu`
// verifies its merge (logits within 1e-4 of base + adapter) as wasm does, and
// `loralab generate --backend webgpu` (the key/value cache) of the bundled model
// gives wasm's greedy completion.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runConfigSchema } from '../../src/shared/config/run-config';
import { createServices, type Services } from '../../src/main/services/index';
import { useBackend } from '../backends';
import { CLI, ROOT, tempDir, waitFor } from '../helpers';

const LLAMA = join(ROOT, 'test/fixtures/models/tiny-llama');
const DATA = join(LLAMA, 'eval.jsonl');
const STEPS = 24;

const config = () =>
  runConfigSchema.parse({
    name: 'tiny-lora-webgpu',
    model: LLAMA,
    method: 'lora',
    lora: { r: 4, alpha: 8, dropout: 0.1, targets: ['q_proj', 'v_proj'] },
    data: { train: DATA, eval: DATA, max_seq_len: 64 },
    train: { steps: STEPS, batch_size: 2, lr: 0.005, schedule: 'cosine', warmup_steps: 2, save_every: 4, eval_every: 12, seed: 3 },
  });

const lossCurve = (s: Services, runId: number) => s.registry.metrics.forRun(runId, { names: ['loss'] }).map((p) => [p.step, p.value]);
const evalCurve = (s: Services, runId: number) => s.registry.metrics.forRun(runId, { names: ['eval_loss'] }).map((p) => [p.step, p.value]);
const adapterOf = (s: Services, runId: number) => s.registry.artifacts.forRun(runId).find((a) => a.kind === 'adapter')!.path;
const loralab = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });

test('on webgpu, a LoRA run killed with SIGKILL and resumed ends byte-identical to an uninterrupted one; eval, merge verification and generate agree with wasm', async (t) => {
  if (!(await useBackend('webgpu', t))) return;
  // The engine processes pick the backend by name: a webgpu that fails to load fails the run, it never falls back.
  const s = createServices({ registryPath: join(tempDir(), 'registry.sqlite'), backend: 'webgpu' });
  let adapter: string;
  try {
    const straight = s.runs.start(config(), '/').runId;
    await s.supervisor.waitForExit(straight);
    assert.equal(s.runs.get(straight).status, 'completed', s.runs.get(straight).error ?? '');

    const killed = s.runs.start(config(), '/').runId;
    await waitFor('a checkpoint at step 8 or later', () => (s.registry.checkpoints.latest(killed)?.step ?? 0) >= 8, 120_000, 5);
    process.kill(s.supervisor.pidOf(killed)!, 'SIGKILL');
    await s.supervisor.waitForExit(killed);
    assert.equal(s.runs.get(killed).status, 'crashed');
    assert.ok(s.runs.get(killed).lastStep! < STEPS, 'the run finished before it could be killed');

    s.runs.resume(killed);
    await s.supervisor.waitForExit(killed);
    assert.equal(s.runs.get(killed).status, 'completed', s.runs.get(killed).error ?? '');

    assert.deepEqual(lossCurve(s, killed), lossCurve(s, straight));
    assert.deepEqual(evalCurve(s, killed), evalCurve(s, straight));
    assert.equal(lossCurve(s, straight).length, STEPS);
    const a = readFileSync(join(adapterOf(s, straight), 'adapter_model.safetensors'));
    const b = readFileSync(join(adapterOf(s, killed), 'adapter_model.safetensors'));
    assert.ok(a.equals(b), 'adapter weights differ after resume');
    adapter = adapterOf(s, straight);
  } finally {
    await s.close();
  }

  const evalOn = (backend: string) => {
    const r = loralab(['eval', '--model', LLAMA, '--adapter', adapter, '--data', DATA, '--batch-size', '3', '--json', '--backend', backend]);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { loss: number; tokens: number };
  };
  const [gpuEval, wasmEval] = [evalOn('webgpu'), evalOn('wasm')];
  assert.equal(gpuEval.tokens, wasmEval.tokens);
  assert.ok(Math.abs(gpuEval.loss - wasmEval.loss) / wasmEval.loss < 1e-5, `eval loss webgpu ${gpuEval.loss}, wasm ${wasmEval.loss}`);

  const mergeOn = (backend: string) => {
    const r = loralab(['merge', '--base', LLAMA, '--adapter', adapter, '--out', join(tempDir(), 'merged'), '--json', '--backend', backend, '--registry', join(tempDir(), 'r.sqlite')]);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { verify: { maxAbsLogitDiff: number; tokens: number } };
  };
  const [gpuMerge, wasmMerge] = [mergeOn('webgpu'), mergeOn('wasm')];
  assert.ok(gpuMerge.verify.maxAbsLogitDiff < 1e-4, `webgpu merge check: logit difference ${gpuMerge.verify.maxAbsLogitDiff}`);
  assert.ok(wasmMerge.verify.maxAbsLogitDiff < 1e-4, `wasm merge check: logit difference ${wasmMerge.verify.maxAbsLogitDiff}`);
  assert.equal(gpuMerge.verify.tokens, wasmMerge.verify.tokens);

  const bundled = join(ROOT, 'resources', 'models', 'lab-tiny-llama');
  const generateOn = (backend: string) => {
    const r = loralab(['generate', '--model', bundled, '--prompt', 'The old man', '--max-new-tokens', '12', '--json', '--backend', backend]);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { tokens: number; text: string };
  };
  const [gpuText, wasmText] = [generateOn('webgpu'), generateOn('wasm')];
  assert.ok(wasmText.tokens >= 1);
  assert.deepEqual(gpuText, { ...gpuText, tokens: wasmText.tokens, text: wasmText.text });
});
