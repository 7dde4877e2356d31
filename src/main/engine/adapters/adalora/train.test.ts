// An AdaLoRA run in-process on the tiny Llama fixture (real wasm backend): the
// budget at every step is the schedule's, after the final masking the kept rank
// totals target_r × matrices and stays frozen (the masked λ stay exactly 0 while
// training goes on), the orthogonal penalty falls, and the saved adapter has PEFT's
// keys, truncated shapes and rank_pattern and loads back to the same eval loss.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runConfigSchema } from '../../../../shared/config/run-config';
import { METRIC } from '../../../../shared/ipc/metric-names';
import { budgetSchedule } from '../../../../shared/math/adalora-budget';
import { selectBackend, type Tf } from '../../backend';
import { readExamples } from '../../data/jsonl';
import { evaluate } from '../../infer/evaluate';
import { SafetensorsFile } from '../../io/safetensors/index';
import { loadTokenizer } from '../../io/tokenizer/index';
import { loadModel } from '../../models/load-model';
import { runTraining } from '../../train/trainer';
import { loadAdapter } from '../index';
import type { AdaloraLayer } from './layer';

const LLAMA = join(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'models', 'tiny-llama');
const DATA = join(LLAMA, 'eval.jsonl');
let tf: Tf;
before(async () => {
  tf = (await selectBackend({ prefer: 'wasm' })).tf;
});

const MODULES = ['q_proj', 'v_proj'];
const config = runConfigSchema.parse({
  name: 'adalora-in-process',
  model: LLAMA,
  method: 'adalora',
  lora: { alpha: 8, targets: MODULES },
  adalora: { init_r: 6, target_r: 3, tinit: 4, tfinal: 8, delta_t: 3, beta1: 0.85, beta2: 0.85, orth_reg_weight: 0.5 },
  data: { train: DATA, eval: DATA, max_seq_len: 64 },
  train: { steps: 30, batch_size: 2, lr: 0.01, schedule: 'constant', seed: 5, save_every: 10 },
});

test('AdaLoRA: schedule, final budget, frozen mask, falling orth penalty, PEFT files', async () => {
  const out = mkdtempSync(join(tmpdir(), 'loralab-adalora-'));
  after(() => rmSync(out, { recursive: true, force: true }));
  const budgets = new Map<number, number>();
  const orth: number[] = [];
  const ranks = new Map<number, { module: string; rank: number }[]>();
  const before = tf.memory().numTensors;
  const outcome = await runTraining(tf, { config, outputDir: out, resumeFrom: null, initFrom: null }, {
    shouldStop: () => false,
    onStep: ({ step, methodMetrics }) => {
      budgets.set(step, methodMetrics[METRIC.adaloraBudget]!);
      orth.push(methodMetrics[METRIC.orthReg]!);
    },
    onRanks: (step, r) => ranks.set(step, r),
  });
  assert.equal(outcome.status, 'completed');
  assert.equal(tf.memory().numTensors, before, 'tensors left behind after training');

  // 2 layers × 2 modules = 4 matrices: initial budget 24, target 12; the final allocation at 30 − 8 = 22.
  const matrices = 4;
  const schedule = { initialBudget: 6 * matrices, targetBudget: 3 * matrices, tinit: 4, tfinal: 8, deltaT: 3, totalSteps: 30 };
  for (let s = 1; s <= 22; s++) assert.equal(budgets.get(s), budgetSchedule(s, schedule).budget, `budget at step ${s}`);
  // Masking steps: every delta_t inside (tinit, 22) and the forced final one at 22.
  assert.deepEqual([...ranks.keys()], [6, 9, 12, 15, 18, 21, 22]);
  for (const [step, r] of ranks) {
    assert.equal(r.length, matrices);
    if (step < 22) assert.ok(r.reduce((n, x) => n + x.rank, 0) <= budgetSchedule(step, schedule).budget, `step ${step}`);
  }
  const final = ranks.get(22)!;
  assert.equal(final.reduce((n, x) => n + x.rank, 0), 3 * matrices, 'kept rank after the final masking');

  // The orthogonal penalty falls (A, B start near 0, so R starts near √r).
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b) / xs.length;
  assert.ok(mean(orth.slice(-5)) < 0.8 * mean(orth.slice(0, 5)), `orth_reg went from ${mean(orth.slice(0, 5))} to ${mean(orth.slice(-5))}`);

  // The saved adapter: PEFT's keys and shapes cut to the kept triplets, rank_pattern in its key format.
  const adapterDir = join(out, 'adapter');
  const cfg = JSON.parse(readFileSync(join(adapterDir, 'adapter_config.json'), 'utf8'));
  assert.equal(cfg.peft_type, 'ADALORA');
  assert.equal(cfg.init_r, 6);
  assert.equal(cfg.target_r, 3);
  assert.equal(cfg.total_step, 30);
  assert.equal(cfg.deltaT, 3);
  const weights = SafetensorsFile.open(join(adapterDir, 'adapter_model.safetensors'));
  try {
    const keys = [...weights.header.tensors.keys()].sort();
    const expectedKeys = final.flatMap((f) => ['lora_A', 'lora_B', 'lora_E'].map((s) => `base_model.model.${f.module}.${s}`)).sort();
    assert.deepEqual(keys, expectedKeys);
    for (const { module, rank } of final) {
      const pattern = cfg.rank_pattern[`${module}.lora_E`] as boolean[];
      assert.equal(pattern.length, 6);
      assert.equal(pattern.filter(Boolean).length, rank);
      const shape = (s: string) => weights.header.tensors.get(`base_model.model.${module}.${s}`)!.shape;
      const inF = 64;
      const outF = module.endsWith('q_proj') ? 64 : 32;
      assert.deepEqual(shape('lora_A'), [rank, inF]);
      assert.deepEqual(shape('lora_B'), [outF, rank]);
      assert.deepEqual(shape('lora_E'), [rank, 1]);
    }
  } finally {
    weights.close();
  }

  // The mask stayed frozen after step 22: the step-30 checkpoint holds λ = 0 exactly where the pattern drops a triplet.
  const ckpt = SafetensorsFile.open(join(out, 'checkpoints', 'step-000030', 'trainable.safetensors'));
  try {
    for (const { module } of final) {
      const e = ckpt.readFloat32(`${module}.lora_E`);
      const keep = cfg.rank_pattern[`${module}.lora_E`] as boolean[];
      keep.forEach((k, i) => (k ? assert.notEqual(e[i], 0) : assert.equal(e[i], 0)));
    }
  } finally {
    ckpt.close();
  }

  // Loaded back (truncated, ranknum = init_r), the adapter gives the eval loss of the trained model.
  const loaded = loadModel(tf, LLAMA);
  try {
    const examples = readExamples(DATA, await loadTokenizer(LLAMA), 64);
    const adapter = loadAdapter(tf, adapterDir, loaded.model);
    assert.deepEqual(
      (adapter.layers as AdaloraLayer[]).map((l) => [l.module, l.rank, l.ranknum]),
      final.map((f) => [f.module, f.rank, 6]),
    );
    const reloaded = await evaluate(loaded.model, examples, { batchSize: 2 });
    adapter.detach();
    const fromCheckpoint = loadAdapter(tf, join(out, 'checkpoints', 'step-000030', 'adapter'), loaded.model);
    const again = await evaluate(loaded.model, examples, { batchSize: 2 });
    fromCheckpoint.detach();
    assert.equal(again.loss, reloaded.loss, 'the checkpoint adapter is the final adapter');
    const base = await evaluate(loaded.model, examples, { batchSize: 2 });
    assert.ok(reloaded.loss < base.loss, `adapted ${reloaded.loss} vs base ${base.loss}`);
  } finally {
    loaded.model.dispose();
  }
});
