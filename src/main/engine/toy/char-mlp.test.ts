// Tests for the toy char-MLP on the real wasm backend: it learns, it is
// deterministic for a seed, and it frees every tensor it makes.
// Run: node --import tsx --test src/main/engine/toy/char-mlp.test.ts
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { getTf, selectBackend, type Tf } from '../backend';
import { buildExamples } from './char-data';
import { trainCharMlp, type CharMlpStep } from './char-mlp';
import { skeletonCorpus } from './corpus';

let tf: Tf;
before(async () => {
  const selection = await selectBackend({ prefer: 'wasm' });
  assert.equal(selection.backend, 'wasm');
  tf = getTf();
});

const texts = skeletonCorpus(1, 400);
const base = { texts, batchSize: 32, lr: 1e-2, seed: 42 };

async function run(steps: number, seed = 42, probe?: (s: CharMlpStep) => void): Promise<number[]> {
  const losses: number[] = [];
  await trainCharMlp({
    ...base,
    seed,
    tf,
    steps,
    onStep: (s) => {
      losses.push(s.loss);
      probe?.(s);
    },
  });
  return losses;
}

test('the loss falls clearly within 60 steps', async () => {
  const losses = await run(60);
  assert.equal(losses.length, 60);
  const first = losses[0]!;
  // An untrained model is near uniform over the vocabulary.
  const vocab = buildExamples(texts, 4).vocab.length;
  assert.ok(Math.abs(first - Math.log(vocab)) < 0.3, `first loss ${first}, ln V ${Math.log(vocab)}`);
  const last10 = losses.slice(-10).reduce((a, b) => a + b, 0) / 10;
  assert.ok(last10 < 0.6 * first, `mean of steps 51–60 ${last10} vs first ${first}`);
  assert.ok(losses[59]! < first - 1, `step 60 ${losses[59]} vs first ${first}`);
});

test('the same seed gives bit-identical losses; another seed does not', async () => {
  const a = await run(30);
  const b = await run(30);
  assert.deepEqual(b, a);
  assert.notDeepEqual(await run(30, 7), a);
});

test('no tensor survives a step, and none survives training', async () => {
  const startCount = tf.memory().numTensors;
  const counts = new Map<number, number>();
  const steps: number[] = [];
  await run(50, 42, (s) => {
    steps.push(s.step);
    counts.set(s.step, tf.memory().numTensors);
  });
  assert.deepEqual(steps, Array.from({ length: 50 }, (_, i) => i + 1));
  assert.equal(counts.get(50), counts.get(10));
  assert.equal(tf.memory().numTensors, startCount);
});

test('step reports count tokens and time cumulatively, and shouldStop ends early', async () => {
  const seen: CharMlpStep[] = [];
  const result = await trainCharMlp({
    ...base,
    tf,
    steps: 20,
    onStep: (s) => void seen.push(s),
    shouldStop: () => seen.length >= 5,
  });
  assert.equal(result.steps, 5);
  assert.equal(result.stopped, true);
  assert.equal(result.tokens, 5 * 32);
  assert.deepEqual(
    seen.map((s) => s.tokens),
    [32, 64, 96, 128, 160],
  );
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.seconds >= seen[i - 1]!.seconds);
  assert.equal(result.finalLoss, seen[4]!.loss);
});

test('bad options name the field and the value', async () => {
  const onStep = () => {};
  await assert.rejects(trainCharMlp({ ...base, tf, steps: 0, onStep }), /steps must be a positive integer, got 0/);
  await assert.rejects(trainCharMlp({ ...base, tf, steps: 1, batchSize: 2.5, onStep }), /batchSize must be a positive integer, got 2.5/);
  await assert.rejects(trainCharMlp({ ...base, tf, steps: 1, lr: -1, onStep }), /lr must be a positive finite number, got -1/);
  await assert.rejects(trainCharMlp({ ...base, tf, steps: 1, texts: ['', ''], onStep }), /at least one non-empty line/);
});

test('the skeleton corpus is deterministic English-like text', () => {
  const a = skeletonCorpus(3, 50);
  assert.deepEqual(skeletonCorpus(3, 50), a);
  assert.notDeepEqual(skeletonCorpus(4, 50), a);
  for (const line of a) assert.match(line, /^[A-Z][a-z ]+\.$/);
  assert.ok(!a.some((l) => / a [aeiou]/.test(l)), 'a/an agreement');
});

test('examples pad the context with the boundary id and end each line with it', () => {
  const ex = buildExamples(['ab'], 2);
  assert.deepEqual(ex.vocab, ['', 'a', 'b']);
  assert.equal(ex.count, 3);
  assert.deepEqual(Array.from(ex.contexts), [0, 0, 0, 1, 1, 2]);
  assert.deepEqual(Array.from(ex.targets), [1, 2, 0]);
});
