// init_from keeps a source adapter's rank_pattern and alpha_pattern (issue 14 item 2):
// the continued adapter's config still agrees with its tensors and scaling, so it loads
// back and computes what was trained. Before, it was saved with empty patterns and the
// loader refused it (a module's rank in the file differed from adapter_config.json).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runConfigSchema } from '../../../../shared/config/run-config';
import { selectBackend, type Tf } from '../../backend';
import { readExamples } from '../../data/jsonl';
import { evaluate } from '../../infer/evaluate';
import { loadTokenizer } from '../../io/tokenizer/index';
import { loadModel } from '../../models/load-model';
import { runTraining } from '../../train/trainer';
import { loadAdapter } from '../index';
import { injectLora } from './inject';
import { saveLoraAdapter } from './save';
import { createRng } from '../../train/rng';

const LLAMA = join(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'models', 'tiny-llama');
const DATA = join(LLAMA, 'eval.jsonl');
let tf: Tf;
before(async () => {
  tf = (await selectBackend({ prefer: 'wasm' })).tf;
});

test('a continued adapter keeps rank_pattern and alpha_pattern, and loads back to the trained model', async () => {
  const root = mkdtempSync(join(tmpdir(), 'loralab-initfrom-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  // A source adapter with per-module patterns: q_proj at r 4 / alpha 8, v_proj at r 2 / alpha 6.
  const source = join(root, 'source');
  const loaded = loadModel(tf, LLAMA);
  const rng = createRng(9);
  const linears = loaded.model.linears();
  const q = injectLora(tf, linears.filter((l) => l.name.endsWith('q_proj')), { r: 4, alpha: 8, dropout: 0, rslora: false }, rng);
  const v = injectLora(tf, linears.filter((l) => l.name.endsWith('v_proj')), { r: 2, alpha: 6, dropout: 0, rslora: false }, rng);
  // B = 0 at init; give it values so the patterns' scalings matter.
  for (const l of [...q, ...v]) tf.tidy(() => (l.bT as unknown as { assign(t: unknown): void }).assign(tf.randomNormal(l.bT.shape, 0, 0.3, 'float32', 7)));
  mkdirSync(source);
  await saveLoraAdapter(tf, source, [...q, ...v], {
    r: 4, alpha: 8, dropout: 0, rslora: false, targets: ['q_proj', 'v_proj'], baseModel: LLAMA, fanInFanOut: false,
    rankPattern: { v_proj: 2 }, alphaPattern: { v_proj: 6 },
  });
  loaded.model.dispose();

  const config = runConfigSchema.parse({
    name: 'continue', model: LLAMA, method: 'lora', lora: { r: 4, alpha: 8, targets: ['q_proj', 'v_proj'] },
    data: { train: DATA, max_seq_len: 64 }, train: { steps: 2, batch_size: 2, lr: 0.001, seed: 1 },
  });
  const out = join(root, 'run');
  await runTraining(tf, { config, outputDir: out, resumeFrom: null, initFrom: source }, { shouldStop: () => false, onStep: () => undefined });
  const saved = JSON.parse(readFileSync(join(out, 'adapter', 'adapter_config.json'), 'utf8'));
  assert.deepEqual(saved.rank_pattern, { v_proj: 2 });
  assert.deepEqual(saved.alpha_pattern, { v_proj: 6 });

  // It loads (the loader checks each module's rank against the patterns) with each module's own scaling.
  const model = loadModel(tf, LLAMA).model;
  try {
    const adapter = loadAdapter(tf, join(out, 'adapter'), model);
    const scalings = Object.fromEntries(adapter.layers.map((l) => [l.module.slice(l.module.lastIndexOf('.') + 1) + l.module.split('.')[2], l.scaling]));
    assert.deepEqual(scalings, { q_proj0: 2, q_proj1: 2, v_proj0: 3, v_proj1: 3 });
    const examples = readExamples(DATA, await loadTokenizer(LLAMA), 64);
    const withAdapter = await evaluate(model, examples, { batchSize: 3 });
    adapter.detach();
    const base = await evaluate(model, examples, { batchSize: 3 });
    assert.notEqual(withAdapter.loss, base.loss);
  } finally {
    model.dispose();
  }
});
