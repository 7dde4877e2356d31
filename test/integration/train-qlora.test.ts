// QLoRA training end to end through the supervisor and a real engine process on the
// tiny Llama fixture: exact resume after SIGKILL (the NF4 base is re-quantized from
// the checkpoint's model on resume and must be the same), an ordinary PEFT LoRA
// adapter as the result, and `loralab eval --quantize nf4` of that adapter equal to
// the eval loss the run recorded on its quantized base.
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

function config(overrides: Partial<RunConfigInput> & { train?: RunConfigInput['train'] } = {}) {
  return runConfigSchema.parse({
    name: 'tiny-qlora',
    model: LLAMA,
    method: 'qlora',
    lora: { r: 4, alpha: 8, dropout: 0.1, targets: ['q_proj', 'v_proj'] },
    quant: { type: 'nf4', double_quant: true, block_size: 64 },
    data: { train: DATA, eval: DATA, max_seq_len: 64 },
    ...overrides,
    train: { steps: 120, batch_size: 2, lr: 0.005, schedule: 'cosine', warmup_steps: 5, save_every: 10, eval_every: 40, seed: 3, ...overrides.train },
  });
}

const services = (): Services => createServices({ registryPath: join(tempDir(), 'registry.sqlite'), backend: 'wasm' });
const lossCurve = (s: Services, runId: number) => s.registry.metrics.forRun(runId, { names: ['loss'] }).map((p) => [p.step, p.value]);
const adapterOf = (s: Services, runId: number) => s.registry.artifacts.forRun(runId).find((a) => a.kind === 'adapter')!.path;

test('a QLoRA run killed with SIGKILL and resumed ends with an adapter byte-identical to an uninterrupted run', async () => {
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
    assert.ok(s.runs.get(killed).lastStep! < 120, 'the run finished before it could be killed');

    s.runs.resume(killed);
    await s.supervisor.waitForExit(killed);
    assert.equal(s.runs.get(killed).status, 'completed', s.runs.get(killed).error ?? '');

    assert.deepEqual(lossCurve(s, killed), lossCurve(s, straight));
    const a = readFileSync(join(adapterOf(s, straight), 'adapter_model.safetensors'));
    const b = readFileSync(join(adapterOf(s, killed), 'adapter_model.safetensors'));
    assert.ok(a.equals(b), 'adapter weights differ after resume');
    assert.ok(readFileSync(join(adapterOf(s, straight), 'adapter_config.json')).equals(readFileSync(join(adapterOf(s, killed), 'adapter_config.json'))));
  } finally {
    await s.close();
  }
});

test('QLoRA trains on the NF4 base: a PEFT LoRA adapter whose eval --quantize nf4 --double-quant equals the recorded eval loss', async () => {
  const s = services();
  try {
    const q = s.runs.start(config({ train: { steps: 40, eval_every: 40 } }), '/').runId;
    const l = s.runs.start(config({ method: 'lora', quant: undefined, train: { steps: 40, eval_every: 40 } }), '/').runId;
    await s.supervisor.waitForExit(q);
    await s.supervisor.waitForExit(l);
    assert.equal(s.runs.get(q).status, 'completed', s.runs.get(q).error ?? '');
    const evals = s.registry.metrics.forRun(q, { names: ['eval_loss'] }).map((p) => p.value);
    const lora = s.registry.metrics.forRun(l, { names: ['eval_loss'] }).map((p) => p.value);
    // Step 0 is the base alone: the NF4 base is not the float32 base.
    assert.notEqual(evals[0], lora[0]);
    assert.ok(evals.at(-1)! < evals[0]!, `eval loss ${evals[0]} → ${evals.at(-1)}`);

    // The run records what its NF4 base keeps resident (the Run page's memory card):
    // about half a byte per weight with double quantization, against 4 in float32.
    const memory = (runId: number, name: string) => s.registry.metrics.forRun(runId, { names: [name] }).map((p) => p.value);
    const [nf4] = memory(q, 'quantized_base_bytes');
    const [f32] = memory(q, 'quantized_base_float32_bytes');
    assert.ok(nf4! > 0 && nf4! / (f32! / 4) <= 0.52, `${nf4} bytes for ${f32! / 4} weights`);
    assert.deepEqual(memory(l, 'quantized_base_bytes'), [], 'a LoRA run has no quantized base');
    assert.ok(memory(q, 'peak_rss_bytes').at(-1)! > nf4!);

    const dir = adapterOf(s, q);
    const cfg = JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8'));
    assert.equal(cfg.peft_type, 'LORA');
    assert.equal(cfg.r, 4);
    assert.deepEqual(cfg.target_modules, ['q_proj', 'v_proj']);
    const loraCfg = JSON.parse(readFileSync(join(adapterOf(s, l), 'adapter_config.json'), 'utf8'));
    assert.deepEqual(Object.keys(cfg).sort(), Object.keys(loraCfg).sort());

    const run = (extra: string[]) =>
      spawnSync(process.execPath, [CLI, 'eval', '--model', LLAMA, '--data', DATA, '--adapter', dir, '--json', ...extra], { encoding: 'utf8' });
    const quantized = run(['--quantize', 'nf4', '--double-quant']);
    assert.equal(quantized.status, 0, quantized.stderr);
    assert.ok(Math.abs(JSON.parse(quantized.stdout).loss - evals.at(-1)!) < 1e-5, `${quantized.stdout} vs ${evals.at(-1)}`);
    const full = run([]);
    assert.notEqual(JSON.parse(full.stdout).loss, JSON.parse(quantized.stdout).loss);
  } finally {
    await s.close();
  }
});
