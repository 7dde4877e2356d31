// Fuzzes config.json: mutated configs of the fixture models go through the real
// loader (config parsing, architecture choice, shape checks against the
// checkpoint, weight upload) and, when they load, one forward pass. Every case
// must end in a correct load or a typed error — never a crash, a hang, or an
// allocation sized by a forged number. (safetensors files are fuzzed in
// io/safetensors/fuzz.test.ts.)
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { selectBackend, type Tf } from '../backend';
import { SafetensorsError } from '../io/safetensors/index';
import { createRng, type Rng } from '../train/rng';
import { ModelConfigError } from './architecture';
import { MissingTensorError } from './decoder/load';
import { loadModel } from './load-model';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'models');
const CASES_PER_MODEL = Number(process.env.FUZZ_CONFIG_CASES ?? 2000);
let tf: Tf;
before(async () => {
  tf = (await selectBackend({ prefer: 'wasm' })).tf;
});

const WILD: unknown[] = [0, -1, 1, 2, 3, 7, 0.5, -0.0, 1e-300, 1e308, 2 ** 31, 2 ** 53, 2 ** 60, 1e12, '', '64', 'silu', 'gelu', null, true, false, [], [1], {}, { a: 1 }];

function mutate(base: Record<string, unknown>, rng: Rng): string {
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
  const c: Record<string, unknown> = structuredClone(base);
  const keys = Object.keys(c);
  const edits = 1 + rng.int(3);
  for (let e = 0; e < edits; e++) {
    const key = pick(keys);
    switch (rng.int(6)) {
      case 0:
        delete c[key];
        break;
      case 1:
        c[key] = pick(WILD);
        break;
      case 2: // plausible-looking neighbours of the real value
        if (typeof c[key] === 'number') c[key] = (c[key] as number) * pick([0, 2, 0.5, -1, 1000, 1e9]) + pick([0, 1, -1]);
        break;
      case 3:
        c.model_type = pick(['llama', 'mistral', 'qwen2', 'gpt2', 'chatglm', 'bert', '', 42]);
        break;
      case 4:
        c[pick(['num_key_value_heads', 'head_dim', 'n_inner', 'tie_word_embeddings', 'hidden_act', 'activation_function', 'rope_theta'])] = pick(WILD);
        break;
      default:
        c[key] = structuredClone(base[pick(keys)]);
    }
  }
  const text = JSON.stringify(c);
  // Now and then, break the JSON itself.
  if (rng.next() < 0.05) return text.slice(0, rng.int(text.length));
  return text;
}

const typed = (err: unknown) => err instanceof ModelConfigError || err instanceof MissingTensorError || err instanceof SafetensorsError;

for (const name of ['tiny-llama', 'tiny-qwen2', 'tiny-gpt2']) {
  test(`${CASES_PER_MODEL} mutated config.json files of ${name} load correctly or fail with a typed error`, () => {
    const src = join(FIXTURES, name);
    const dir = mkdtempSync(join(tmpdir(), 'loralab-config-fuzz-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    symlinkSync(join(src, 'model.safetensors'), join(dir, 'model.safetensors'));
    const base = JSON.parse(readFileSync(join(src, 'config.json'), 'utf8'));
    const rng = createRng(20261128 + name.length);
    const outcomes = new Map<string, number>();
    const tensorsBefore = tf.memory().numTensors;
    for (let i = 0; i < CASES_PER_MODEL; i++) {
      writeFileSync(join(dir, 'config.json'), mutate(base, rng));
      let outcome: string;
      try {
        const { model } = loadModel(tf, dir);
        try {
          const logits = model.forward([[1, 2, 3]]);
          const values = logits.dataSync();
          assert.deepEqual(logits.shape, [1, 3, model.options.vocabSize]);
          assert.ok(values.every(Number.isFinite), 'non-finite logits from a model that loaded');
          logits.dispose();
        } finally {
          model.dispose();
        }
        outcome = 'loaded';
      } catch (err) {
        if (!typed(err)) {
          throw new Error(`case ${i}: untyped ${(err as Error)?.name}: ${(err as Error)?.message}\nconfig: ${readFileSync(join(dir, 'config.json'), 'utf8')}`);
        }
        outcome = (err as Error).name;
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    console.log(`${name}: ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    assert.ok((outcomes.get('loaded') ?? 0) > 0, 'no mutation loaded: the fuzz is not reaching the forward pass');
    assert.ok(tf.memory().numTensors <= tensorsBefore + 0, 'a failed load leaked tensors');
  });
}
