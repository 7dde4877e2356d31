// The training loop in-process on the webgpu backend (through Mesa's llvmpipe
// here; see test/backends.ts for a machine without it), each method against the
// same run on wasm: LoRA, QLoRA, AdaLoRA (with its masking steps) and full
// fine-tuning (the embedding table's gradient, kernels/embedding-grad.ts) give the
// same loss, gradient norm and method metrics per step within float32 noise, and
// the same ranks; over a LoRA run the tensor count and the bytes held in GPU
// buffers after step 5 equal those after the last step, and both return to
// where they started once the run is over.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runConfigSchema, type RunConfigInput } from '../../../shared/config/run-config';
import { useBackend } from '../../../../test/backends';
import type { Tf } from '../backend';
import { runTraining, type StepInfo } from './trainer';

const LLAMA = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'models', 'tiny-llama');
const DATA = join(LLAMA, 'eval.jsonl');

function config(method: 'lora' | 'qlora' | 'adalora' | 'full', steps: number, extra: Partial<RunConfigInput> = {}) {
  return runConfigSchema.parse({
    name: `webgpu-${method}`,
    model: LLAMA,
    method,
    lora: { r: 4, alpha: 8, dropout: 0.05, targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] },
    data: { train: DATA, eval: DATA, max_seq_len: 64 },
    train: { steps, batch_size: 2, grad_accum: 2, lr: 0.003, schedule: 'linear', warmup_steps: 2, eval_every: steps, save_every: steps, seed: 11 },
    ...extra,
  });
}

interface Run {
  steps: StepInfo[];
  ranks: string[];
  evals: number[];
}

async function train(tf: Tf, c: ReturnType<typeof config>, onStep?: (s: StepInfo) => void): Promise<Run> {
  const out = mkdtempSync(join(tmpdir(), 'loralab-webgpu-'));
  after(() => rmSync(out, { recursive: true, force: true }));
  const run: Run = { steps: [], ranks: [], evals: [] };
  await runTraining(tf, { config: c, outputDir: out, resumeFrom: null, initFrom: null }, {
    shouldStop: () => false,
    onStep: (s) => {
      run.steps.push(s);
      onStep?.(s);
    },
    onEval: (_step, r) => run.evals.push(r.loss),
    onRanks: (step, ranks) => run.ranks.push(`${step}: ${ranks.map((r) => r.rank).join(' ')}`),
  });
  return run;
}

/** webgpu's run against wasm's, step by step: relative differences within 1e-4 (float32 sums in another order). */
function assertSameRun(gpu: Run, cpu: Run): void {
  const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b)), `${what}: webgpu ${a}, wasm ${b}`);
  assert.equal(gpu.steps.length, cpu.steps.length);
  gpu.steps.forEach((s, i) => {
    const w = cpu.steps[i]!;
    close(s.loss, w.loss, `loss at step ${s.step}`);
    close(s.gradNorm, w.gradNorm, `grad norm at step ${s.step}`);
    assert.deepEqual(Object.keys(s.methodMetrics), Object.keys(w.methodMetrics));
    for (const [k, v] of Object.entries(s.methodMetrics)) close(v, w.methodMetrics[k]!, `${k} at step ${s.step}`);
  });
  gpu.evals.forEach((e, i) => close(e, cpu.evals[i]!, `eval ${i}`));
  assert.deepEqual(gpu.ranks, cpu.ranks);
}

const cases = [
  { method: 'lora', steps: 4, extra: {} },
  { method: 'qlora', steps: 4, extra: {} },
  // init_r 6 → target 4 over steps 3–4 (tinit 2, tfinal 2 of 6, a mask every step), then frozen.
  { method: 'adalora', steps: 6, extra: { adalora: { init_r: 6, target_r: 4, tinit: 2, tfinal: 2, delta_t: 1 } } },
  { method: 'full', steps: 3, extra: { lora: undefined } },
] as const;

for (const c of cases) {
  test(`${c.method} on webgpu trains as on wasm, step for step`, async (t) => {
    const wasm = await useBackend('wasm');
    const cpuRun = await train(wasm!.tf, config(c.method, c.steps, c.extra));
    const gpu = await useBackend('webgpu', t);
    if (!gpu) return;
    const gpuRun = await train(gpu.tf, config(c.method, c.steps, c.extra));
    assertSameRun(gpuRun, cpuRun);
    if (c.method === 'adalora') assert.ok(gpuRun.ranks.length > 0, 'AdaLoRA never masked');
  });
}

test('over a LoRA run on webgpu the tensor count and the GPU bytes held stay flat, and all is freed after', async (t) => {
  const gpu = await useBackend('webgpu', t);
  if (!gpu) return;
  const { tf } = gpu;
  const gpuBytes = () => (tf.memory() as { numBytesInGPU?: number }).numBytesInGPU;
  assert.equal(typeof gpuBytes(), 'number', 'the webgpu backend reports no numBytesInGPU');
  const before = { tensors: tf.memory().numTensors, bytes: gpuBytes() };
  const at = new Map<number, { tensors: number; bytes: number | undefined }>();
  const steps = 16;
  const run = await train(tf, config('lora', steps, { train: { steps, batch_size: 2, grad_accum: 2, lr: 0.003, eval_every: 8, save_every: 8, seed: 11 } }), (s) => {
    if (s.step === 5 || s.step === steps) at.set(s.step, { tensors: tf.memory().numTensors, bytes: gpuBytes() });
  });
  assert.deepEqual(at.get(steps), at.get(5), `after step 5: ${JSON.stringify(at.get(5))}, after step ${steps}: ${JSON.stringify(at.get(steps))}`);
  assert.deepEqual({ tensors: tf.memory().numTensors, bytes: gpuBytes() }, before, 'tensors or GPU buffers left behind after training');
  assert.ok(run.steps.every((s) => Number.isFinite(s.loss) && s.gradNorm > 0), 'a step had no gradient');
});
