// The diagnostics part of bench/train.ts: one LoRA step's forward and backward timed
// apart outside the trainer, and one step profiled kernel by kernel
// (bench/kernel-profile.ts). It also saves the trainer's initial adapter, which
// PyTorch starts from (the same A, B = 0). Not an entry point.
import { mkdirSync } from 'node:fs';
import type { Tensor } from '@tensorflow/tfjs';
import type { RunConfig } from '../src/shared/config/run-config';
import type { Tf } from '../src/main/engine/backend';
import { readExamples } from '../src/main/engine/data/jsonl';
import { padBatch } from '../src/main/engine/infer/evaluate';
import { loadModel } from '../src/main/engine/models/load-model';
import { crossEntropySum, shiftTargets } from '../src/main/engine/train/cross-entropy';
import { createRng } from '../src/main/engine/train/rng';
import { createTrainable } from '../src/main/engine/train/trainable';
import { aggregateProfile, profiledKernelCount, type KernelProfile } from './kernel-profile';
import { median } from './report';
import { DIAG_RUNS, SEQ } from './train-settings';

export interface Diagnostics extends KernelProfile {
  forwardOnly: number[];
  forwardInGrad: number[];
  backward: number[];
}

/**
 * One LoRA step's forward and backward timed apart, on a fresh model with the
 * trainer's own trainable (same seed, so the same initial A), plus a tf.profile of
 * one forward+backward, kernels split at the point where the loss exists.
 * Saves that trainable's initial adapter to `adapterDir` in any case; with `timed`
 * false (a backend whose kernels do not run when called) it stops there: null.
 */
export async function diagnose(tf: Tf, config: RunConfig, trainFile: string, adapterDir: string, timed: boolean): Promise<Diagnostics | null> {
  const loaded = loadModel(tf, config.model);
  const trainable = createTrainable(tf, loaded, config, null, createRng(config.train.seed));
  try {
    mkdirSync(adapterDir, { recursive: true });
    await trainable.save(adapterDir);
    if (!timed) return null;
    const vars = trainable.params.map((p) => p.variable);
    const batch = padBatch(readExamples(trainFile, null, SEQ));
    const targets = shiftTargets(batch.labels, loaded.model.options.vocabSize);
    const lossOf = () => crossEntropySum(tf, loaded.model.forward(batch.ids, batch.mask), targets);
    trainable.setTraining(true);

    const forwardOnly: number[] = [];
    const forwardInGrad: number[] = [];
    const backward: number[] = [];
    for (let i = 0; i < DIAG_RUNS; i++) {
      const t0 = performance.now();
      const loss = tf.tidy(lossOf);
      loss.dataSync();
      forwardOnly.push((performance.now() - t0) / 1000);
      loss.dispose();
    }
    for (let i = 0; i < DIAG_RUNS; i++) {
      let t1 = 0;
      const t0 = performance.now();
      const r = tf.tidy(() =>
        tf.variableGrads(() => {
          const loss = lossOf();
          t1 = performance.now();
          return loss;
        }, vars),
      );
      r.value.dataSync();
      const t2 = performance.now();
      forwardInGrad.push((t1 - t0) / 1000);
      backward.push((t2 - t1) / 1000);
      disposeGrads(r);
    }
    console.error(`tfjs forward ${median(forwardOnly).toFixed(2)} s (no tape), forward in variableGrads ${median(forwardInGrad).toFixed(2)} s, backward ${median(backward).toFixed(2)} s`);

    // One profiled forward+backward: wasm kernels run synchronously, so each record's time is its own.
    let mark = 0;
    const info = await tf.profile(() => {
      const r = tf.tidy(() =>
        tf.variableGrads(() => {
          const loss = lossOf();
          mark = profiledKernelCount(tf);
          return loss;
        }, vars),
      );
      disposeGrads(r);
    });
    const { kernels, matmuls, profiledMs } = await aggregateProfile(tf, info.kernels, mark);
    return { forwardOnly, forwardInGrad, backward, kernels, matmuls, profiledMs };
  } finally {
    trainable.dispose();
    loaded.model.dispose();
  }
}

function disposeGrads(r: { value: Tensor; grads: Record<string, Tensor> }): void {
  r.value.dispose();
  Object.values(r.grads).forEach((g) => g.dispose());
}
