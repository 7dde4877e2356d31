// The walking skeleton's toy model: a character-level MLP language model in the
// style of Bengio et al. (2003) — the k previous characters are embedded,
// concatenated, passed through one tanh layer and a softmax over the character
// vocabulary — trained with Adam on text lines. Real LoRA on Hugging Face models
// replaces it; until then it gives the trainer, events and registry a genuine
// tfjs workload with a falling loss.
//
//   const { selectBackend, getTf } = await import('../backend');
//   await selectBackend();
//   await trainCharMlp({ tf: getTf(), texts: skeletonCorpus(1, 500), steps: 200,
//                        batchSize: 32, lr: 1e-2, seed: 42, onStep: console.log });
import type { Tf } from '../backend';
import { createRng } from '../train/rng';
import { buildExamples, type CharExamples } from './char-data';

export interface CharMlpStep {
  /** 1-based. */
  step: number;
  /** Mean next-character cross-entropy of this step's batch, in nats. */
  loss: number;
  /** Characters predicted so far, this step included. */
  tokens: number;
  /** Wall-clock seconds since training began, this step included. */
  seconds: number;
}

export interface CharMlpOptions {
  tf: Tf;
  texts: string[];
  steps: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** Characters of context (k). */
  context?: number;
  embed?: number;
  hidden?: number;
  onStep: (s: CharMlpStep) => void | Promise<void>;
  /** Checked before each step; true ends training early. */
  shouldStop?: () => boolean;
}

export interface CharMlpResult {
  /** Steps completed (less than requested when stopped). */
  steps: number;
  stopped: boolean;
  firstLoss: number | null;
  finalLoss: number | null;
  tokens: number;
  seconds: number;
  vocabSize: number;
  parameters: number;
}

export const CHAR_MLP_DEFAULTS = { context: 4, embed: 16, hidden: 64 } as const;

export async function trainCharMlp(options: CharMlpOptions): Promise<CharMlpResult> {
  const { tf, texts, steps, batchSize, lr, seed, onStep, shouldStop } = options;
  const context = options.context ?? CHAR_MLP_DEFAULTS.context;
  const embed = options.embed ?? CHAR_MLP_DEFAULTS.embed;
  const hidden = options.hidden ?? CHAR_MLP_DEFAULTS.hidden;
  positiveInteger(steps, 'steps');
  positiveInteger(batchSize, 'batchSize');
  positiveInteger(context, 'context');
  positiveInteger(embed, 'embed');
  positiveInteger(hidden, 'hidden');
  if (!Number.isInteger(seed)) throw new Error(`trainCharMlp: seed must be an integer, got ${seed}`);
  if (!(lr > 0 && Number.isFinite(lr))) throw new Error(`trainCharMlp: lr must be a positive finite number, got ${lr}`);

  const data = buildExamples(texts, context);
  const V = data.vocab.length;
  // One stream for init, then batches: same seed, same weights, same batches.
  const rng = createRng(seed);

  // 1. Parameters. Scaled so tanh starts unsaturated and the initial logits
  //    are near zero (loss ≈ ln V), as in Karpathy's makemore.
  const variable = (shape: number[], scale: number) => {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (scale !== 0) for (let i = 0; i < values.length; i++) values[i] = rng.normal() * scale;
    // tf.variable keeps its own reference to the data; the tensor it was made
    // from would otherwise outlive training.
    const initial = tf.tensor(values, shape);
    const v = tf.variable(initial, true);
    initial.dispose();
    return v;
  };
  const E = variable([V, embed], 1);
  const W1 = variable([context * embed, hidden], 5 / 3 / Math.sqrt(context * embed));
  const b1 = variable([hidden], 0);
  const W2 = variable([hidden, V], 0.1 / Math.sqrt(hidden));
  const b2 = variable([V], 0);
  const params = [E, W1, b1, W2, b2];
  const optimizer = tf.train.adam(lr);

  let firstLoss: number | null = null;
  let finalLoss: number | null = null;
  let done = 0;
  let stopped = false;
  const start = performance.now();
  try {
    for (let step = 1; step <= steps; step++) {
      if (shouldStop?.()) {
        stopped = true;
        break;
      }
      // 2. A batch of (context, next char) pairs, drawn with replacement.
      const { contexts, targets } = sampleBatch(data, batchSize, () => rng.int(data.count));
      // 3. Forward, backward and Adam update; tidy frees every intermediate.
      const lossTensor = tf.tidy(() =>
        optimizer.minimize(
          () => {
            // The embedding is a one-hot matMul rather than tf.gather: gather's
            // gradient needs UnsortedSegmentSum, which the wasm backend lacks.
            const ctx = tf.oneHot(tf.tensor1d(contexts, 'int32'), V).asType('float32');
            const x = tf.matMul(ctx, E).reshape([batchSize, context * embed]);
            const h = tf.tanh(tf.add(tf.matMul(x, W1), b1));
            const logits = tf.add(tf.matMul(h, W2), b2);
            const labels = tf.oneHot(tf.tensor1d(targets, 'int32'), V);
            return tf.losses.softmaxCrossEntropy(labels, logits);
          },
          true,
          params,
        )!, // returnCost = true: never null
      );
      const loss = (await lossTensor.data())[0]!;
      lossTensor.dispose();
      if (!Number.isFinite(loss)) throw new Error(`trainCharMlp: loss became ${loss} at step ${step}`);
      firstLoss ??= loss;
      finalLoss = loss;
      done = step;
      await onStep({ step, loss, tokens: step * batchSize, seconds: (performance.now() - start) / 1000 });
    }
  } finally {
    optimizer.dispose();
    for (const p of params) p.dispose();
  }
  return {
    steps: done,
    stopped,
    firstLoss,
    finalLoss,
    tokens: done * batchSize,
    seconds: (performance.now() - start) / 1000,
    vocabSize: V,
    parameters: V * embed + context * embed * hidden + hidden + hidden * V + V,
  };
}

function sampleBatch(data: CharExamples, batchSize: number, pick: () => number): { contexts: Int32Array; targets: Int32Array } {
  const k = data.context;
  const contexts = new Int32Array(batchSize * k);
  const targets = new Int32Array(batchSize);
  for (let b = 0; b < batchSize; b++) {
    const i = pick();
    contexts.set(data.contexts.subarray(i * k, (i + 1) * k), b * k);
    targets[b] = data.targets[i]!;
  }
  return { contexts, targets };
}

function positiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`trainCharMlp: ${name} must be a positive integer, got ${value}`);
}
