// The training loop, top to bottom: load the model and data, create what the
// method trains, restore a checkpoint if resuming, then for each optimizer step
// accumulate gradients over micro-batches, clip, step AdamW on the schedule, log,
// evaluate and checkpoint on their intervals, and finally save the adapter.
// Everything random is seeded from the config (init, data order, dropout), so a
// run — and a run resumed from any checkpoint — repeats bit for bit on one backend.
import { join } from 'node:path';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import type { RunConfig } from '../../../shared/config/run-config';
import { learningRate } from '../../../shared/math/schedules';
import type { Tf } from '../backend';
import { readExamples } from '../data/jsonl';
import { evaluate, padBatch, type EvalResult } from '../infer/evaluate';
import { writeDirAtomically } from '../io/atomic-dir';
import { loadTokenizer } from '../io/tokenizer/index';
import { describeNonFiniteWeight, findNonFiniteWeight } from '../models/finite-weights';
import { loadModel, type LoadedModel } from '../models/load-model';
import type { StepReport } from '../adapters/method';
import { checkpointName, CHECKPOINT_FORMAT, loadCheckpoint, METHOD_STATE_FILE, saveCheckpoint } from './checkpoint';
import { crossEntropySum, shiftTargets } from './cross-entropy';
import { DataLoader } from './data-loader';
import { AdamW, clipByGlobalNorm } from './optimizer';
import { createRng } from './rng';
import { getMethod } from '../adapters/registry';

export interface TrainJob {
  config: RunConfig;
  /** The run's folder: checkpoints/ and adapter/ go here. */
  outputDir: string;
  /** A checkpoint folder to continue from (`loralab resume`). */
  resumeFrom: string | null;
  /** A PEFT adapter folder to start from (config init_from, resolved). */
  initFrom: string | null;
}

export interface StepInfo {
  step: number;
  totalSteps: number;
  loss: number;
  lr: number;
  gradNorm: number;
  tokens: number;
  tokensPerSecond: number;
  etaSeconds: number;
  /** The method's own metrics of this step (AdaLoRA: orth_reg, budget). */
  methodMetrics: Record<string, number>;
}

export interface TrainHooks {
  onStart?(info: {
    startStep: number;
    totalSteps: number;
    trainableParams: number;
    totalParams: number;
    optimizerBytes: number;
    /** The frozen base weights held quantized (QLoRA's NF4): their resident bytes and parameter count (0 and 0 when none). */
    quantizedBase: { bytes: number; params: number };
  }): void;
  onStep(info: StepInfo): void | Promise<void>;
  onEval?(step: number, result: EvalResult): void;
  onCheckpoint?(step: number, dir: string): void;
  /** Each adapted matrix's rank after a masking step (AdaLoRA). */
  onRanks?(step: number, ranks: { module: string; rank: number }[]): void;
  shouldStop(): boolean;
}

export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';
  constructor(
    readonly step: number,
    loss: number,
    /** Why, when the base weights themselves hold a non-finite value (then the learning rate is not it). */
    baseProblem: string | null = null,
  ) {
    super(
      baseProblem
        ? `the loss became ${loss} at step ${step}: ${baseProblem}`
        : `the loss became ${loss} at step ${step}; the run stopped (try a lower learning rate or max_grad_norm)`,
    );
  }
}

export interface TrainOutcome {
  status: 'completed' | 'stopped';
  step: number;
  resultDir: string;
  /** What resultDir holds. */
  resultKind: 'adapter' | 'model';
}

export async function runTraining(tf: Tf, job: TrainJob, hooks: TrainHooks): Promise<TrainOutcome> {
  const { config } = job;
  const t = config.train;

  // 1. Model (prepared by the method: QLoRA quantizes its frozen linears), tokenizer and data.
  const method = getMethod(config.method);
  const loaded = loadModel(tf, config.model);
  await method.prepareBase?.(tf, loaded, config);
  const tokenizer = await loadTokenizer(config.model);
  const maxLen = Math.min(config.data.max_seq_len, loaded.spec.maxPositions);
  const trainSet = readExamples(config.data.train, tokenizer, maxLen, loaded.spec.vocab);
  const evalSet = config.data.eval ? readExamples(config.data.eval, tokenizer, maxLen, loaded.spec.vocab) : null;

  // 2. What trains, its optimizer, the data order, the RNG.
  const rng = createRng(t.seed);
  const trainable = method.createTrainable({ tf, loaded, config, initFrom: job.initFrom, rng });
  const optimizer = new AdamW(tf, trainable.params, { weightDecay: t.weight_decay });
  const loader = new DataLoader(trainSet, t.batch_size, t.seed);
  const vars: Variable[] = trainable.params.map((p) => p.variable);
  const checkpoints = join(job.outputDir, 'checkpoints');
  const resultDir = join(job.outputDir, trainable.result);

  try {
    // 3. Resume: weights, moments, RNG, data position and step, exactly as saved.
    let step = 0;
    if (job.resumeFrom) {
      const ckpt = loadCheckpoint(job.resumeFrom);
      for (const p of trainable.params) {
        const w = ckpt.weights.get(p.name);
        if (!w) throw new Error(`${job.resumeFrom}: no saved weights for "${p.name}"`);
        tf.tidy(() => p.variable.assign(tf.tensor(w, p.variable.shape)));
      }
      optimizer.restore(ckpt.optimizer);
      if (trainable.restoreState) {
        if (!ckpt.methodState) throw new Error(`${job.resumeFrom}: the checkpoint has no ${config.method} state (${METHOD_STATE_FILE})`);
        trainable.restoreState(ckpt.methodState);
      }
      rng.restore(ckpt.state.rngState);
      loader.restore(ckpt.state.data);
      step = ckpt.state.step;
    }
    const trainableParams = vars.reduce((n, v) => n + v.size, 0);
    hooks.onStart?.({
      startStep: step,
      totalSteps: t.steps,
      trainableParams,
      // Full fine-tuning trains the model's own weights; an adapter adds its parameters to them.
      totalParams: trainable.result === 'model' ? loaded.model.numParams() : loaded.model.numParams() + trainableParams,
      optimizerBytes: optimizer.stateBytes(),
      quantizedBase: quantizedBaseSize(loaded),
    });
    if (step === 0 && evalSet) hooks.onEval?.(0, await evaluate(loaded.model, evalSet, { batchSize: t.batch_size }));

    const checkpoint = async (at: number) => {
      const dir = join(checkpoints, checkpointName(at));
      await saveCheckpoint(
        dir,
        trainable.params,
        optimizer,
        {
          format: CHECKPOINT_FORMAT,
          step: at,
          optimizerStep: optimizer.step,
          rngState: rng.state(),
          data: loader.state,
          method: config.method,
          model: config.model,
        },
        {
          methodState: (await trainable.saveState?.()) ?? null,
          // An adapter checkpoint carries the PEFT folder as of this step, so it can be an init_from.
          adapter: trainable.result === 'adapter' ? (adapterDir) => trainable.save(adapterDir) : null,
        },
      );
      hooks.onCheckpoint?.(at, dir);
    };

    const started = Date.now();
    let tokensSeen = 0;
    const firstStep = step;
    while (step < t.steps) {
      if (hooks.shouldStop()) break;
      step++;

      // 4. Gradients summed over micro-batches, then divided by the step's token count
      //    (the loss is the mean over every learned token of the step).
      trainable.setTraining(true);
      // Each micro-batch's loss stays on the device until the step is done: one read per step, not per micro-batch.
      const microLosses: Tensor[] = [];
      let tokens = 0;
      let grads: Tensor[] | null = null;
      for (let micro = 0; micro < t.grad_accum; micro++) {
        const batch = padBatch(loader.next());
        const targets = shiftTargets(batch.labels, loaded.model.options.vocabSize);
        trainable.setDropoutSeeds(((step * 131 + micro) * 7919) >>> 0);
        const result = tf.tidy(() =>
          tf.variableGrads(() => crossEntropySum(tf, loaded.model.forward(batch.ids, batch.mask), targets) as never, vars),
        );
        microLosses.push(result.value);
        tokens += targets.count;
        const g = vars.map((v) => result.grads[v.name]!);
        if (grads === null) grads = g;
        else {
          const prev: Tensor[] = grads;
          grads = prev.map((x, i) => tf.add(x, g[i]!));
          prev.forEach((x) => x.dispose());
          g.forEach((x) => x.dispose());
        }
      }
      trainable.setTraining(false);
      // One read for the step's micro-batch losses, with data(): the one way every backend
      // (webgpu too) hands values to the host; summed here in float64, in micro-batch order.
      const stacked = tf.stack(microLosses);
      microLosses.forEach((l) => l.dispose());
      const lossValues = await stacked.data().finally(() => stacked.dispose());
      let lossSum = 0;
      for (const l of lossValues) lossSum += l;
      let scaled = grads!.map((g) => tf.div(g, Math.max(1, tokens)));
      grads!.forEach((g) => g.dispose());

      // The method's loss terms (AdaLoRA's orthogonal regularization), once per step on top
      // of the mean token loss, as PEFT adds them to outputs.loss.
      let extraValue = 0;
      if (trainable.extraLoss) {
        const extra = tf.tidy(() => tf.variableGrads(() => trainable.extraLoss!() as never, vars));
        extraValue = (await extra.value.data())[0]!;
        extra.value.dispose();
        const prev = scaled;
        scaled = prev.map((g, i) => {
          const e = extra.grads[vars[i]!.name];
          if (!e) return g;
          const sum = tf.add(g, e);
          e.dispose();
          g.dispose();
          return sum;
        });
      }
      const loss = lossSum / Math.max(1, tokens) + extraValue;
      if (!Number.isFinite(loss)) {
        scaled.forEach((g) => g.dispose());
        const broken = findNonFiniteWeight(config.model);
        throw new NonFiniteLossError(step, loss, broken && describeNonFiniteWeight(broken));
      }

      // 5. Clip, schedule, update; then the method's after-step work with the step's gradients
      //    (AdaLoRA: importance and masking run after optimizer.step(), before zero_grad()).
      const clipped = await clipByGlobalNorm(tf, scaled, t.max_grad_norm);
      const lr = learningRate(step, { lr: t.lr, schedule: t.schedule, warmupSteps: t.warmup_steps, totalSteps: t.steps });
      optimizer.apply(clipped.grads, lr);
      let report: StepReport | void;
      try {
        report = await trainable.afterOptimizerStep?.({ step, totalSteps: t.steps, grads: clipped.grads });
      } finally {
        clipped.grads.forEach((g) => g.dispose());
      }
      if (report?.ranks) hooks.onRanks?.(step, report.ranks);

      tokensSeen += tokens;
      const seconds = (Date.now() - started) / 1000;
      const perStep = seconds / (step - firstStep);
      await hooks.onStep({
        step,
        totalSteps: t.steps,
        loss,
        lr,
        gradNorm: clipped.norm,
        tokens,
        tokensPerSecond: seconds > 0 ? tokensSeen / seconds : 0,
        etaSeconds: perStep * (t.steps - step),
        methodMetrics: report?.metrics ?? {},
      });

      // 6. Evaluation and checkpoints on their intervals (and a checkpoint at the end).
      if (evalSet && t.eval_every && step % t.eval_every === 0) {
        hooks.onEval?.(step, await evaluate(loaded.model, evalSet, { batchSize: t.batch_size }));
      }
      if ((t.save_every && step % t.save_every === 0) || step === t.steps) await checkpoint(step);
    }

    // 7. A stop mid-run leaves a checkpoint at the last finished step, so resume loses nothing.
    if (step > firstStep && step < t.steps && !(t.save_every && step % t.save_every === 0)) await checkpoint(step);

    // 8. The result: a PEFT adapter folder, also on stop (so nothing trained is lost).
    if (evalSet && step === t.steps && (!t.eval_every || step % t.eval_every !== 0)) {
      hooks.onEval?.(step, await evaluate(loaded.model, evalSet, { batchSize: t.batch_size }));
    }
    await writeDirAtomically(resultDir, (dir) => trainable.save(dir));
    return { status: step >= t.steps ? 'completed' : 'stopped', step, resultDir, resultKind: trainable.result };
  } finally {
    optimizer.dispose();
    trainable.dispose();
    loaded.model.dispose();
  }
}

/** What the linears held quantized keep resident, and how many parameters they hold. */
function quantizedBaseSize(loaded: LoadedModel): { bytes: number; params: number } {
  let bytes = 0;
  let params = 0;
  for (const lin of loaded.model.linears()) {
    if (!lin.quantized) continue;
    bytes += lin.quantized.bytes;
    params += lin.quantized.size;
  }
  return { bytes, params };
}
