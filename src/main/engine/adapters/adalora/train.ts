// AdaLoRA training (peft/tuners/adalora): fresh P·Λ·Q branches initialised as PEFT's
// reset_lora_parameters does — E = 0, A and B ~ N(0, 0.02²) — so the adapted model
// starts as the base model; the orthogonal regularization as an extra loss term; the
// RankAllocator after every optimizer step; its EMAs and mask in every checkpoint;
// the result saved truncated to the kept triplets with rank_pattern.
import { adaloraSchema } from '../../../../shared/config/adalora';
import { loraSchema } from '../../../../shared/config/lora';
import type { MethodInfo } from '../../../../shared/config/methods';
import { METRIC } from '../../../../shared/ipc/metric-names';
import type { Tensor } from '@tensorflow/tfjs';
import { variableFrom } from '../../train/variables';
import { loadAdapter } from '../index';
import { MethodError, type Trainable, type TrainContext } from '../method';
import { loraSettings } from '../lora/train';
import { selectTrainingTargets } from '../targets';
import { RankAllocator } from './allocator';
import { AdaloraLayer } from './layer';
import { orthRegularization } from './orth';
import { saveAdaloraAdapter } from './save';

/** PEFT's reset_lora_parameters for AdaLoRA: zeros for E, normal(0, 0.02) for A and B. */
const INIT_STD = 0.02;

export function createAdaloraTrainable(ctx: TrainContext, info: MethodInfo): Trainable {
  const { tf, loaded, config, initFrom, rng } = ctx;
  const { model } = loaded;
  const ada = config.adalora ?? adaloraSchema.parse({});
  const lora = loraSettings(config);
  let layers: AdaloraLayer[];
  let detach: () => void;
  let alpha = lora.alpha;
  let targets = lora.targets ?? loaded.architecture.defaultTargets.adalora ?? [];
  if (initFrom) {
    // Continue an AdaLoRA adapter: its kept triplets (ranknum stays its init_r), its alpha and targets.
    const adapter = loadAdapter(tf, initFrom, model);
    if (adapter.peftType !== info.peftType) {
      adapter.detach();
      throw new MethodError(`init_from ${initFrom}: a ${adapter.peftType} adapter cannot continue an AdaLoRA run`);
    }
    layers = adapter.layers as AdaloraLayer[];
    layers.forEach((l) => l.makeTrainable(tf));
    alpha = adapter.config.lora_alpha as number;
    targets = (adapter.config.target_modules as string[] | string) ?? layers.map((l) => l.module);
    detach = () => adapter.detach();
  } else {
    const r = ada.init_r;
    layers = selectTrainingTargets(loaded, lora.targets, info).map((lin) => {
      const module = lin.name;
      // Drawn in PEFT's layouts and row order (A [r, in], then B [out, r]), stored transposed.
      const aT = new Float32Array(lin.inFeatures * r);
      for (let i = 0; i < r; i++) for (let j = 0; j < lin.inFeatures; j++) aT[j * r + i] = rng.normal() * INIT_STD;
      const bT = new Float32Array(r * lin.outFeatures);
      for (let o = 0; o < lin.outFeatures; o++) for (let k = 0; k < r; k++) bT[k * lin.outFeatures + o] = rng.normal() * INIT_STD;
      const layer = new AdaloraLayer({
        module,
        aT: variableFrom(tf, tf.tensor2d(aT, [lin.inFeatures, r]), `${module}.lora_A`),
        bT: variableFrom(tf, tf.tensor2d(bT, [r, lin.outFeatures]), `${module}.lora_B`),
        e: variableFrom(tf, tf.zeros([r]), `${module}.lora_E`),
        alpha: lora.alpha,
        ranknum: r,
        dropout: lora.dropout,
      });
      lin.adapters.push(layer);
      return layer;
    });
    detach = () => {
      for (const lin of model.linears()) lin.adapters = lin.adapters.filter((a) => !layers.includes(a as AdaloraLayer));
      layers.forEach((l) => l.dispose());
    };
  }

  const allocator = new RankAllocator(tf, layers, ada.beta1, ada.beta2, {
    targetR: ada.target_r,
    tinit: ada.tinit,
    tfinal: ada.tfinal,
    deltaT: ada.delta_t,
    totalSteps: config.train.steps,
  });
  const params = layers.flatMap((l) => l.variables().map((variable) => ({ name: variable.name, variable })));
  const fanInFanOut = layers.some((l) => model.linears().find((lin) => lin.name === l.module)?.checkpointLayout === 'in-out');
  // The regularizer of the step, kept past variableGrads' scope and read once the step is done (no read inside the gradient pass).
  let lastOrth: Tensor | null = null;
  return {
    params,
    result: 'adapter',
    setTraining: (on) => layers.forEach((l) => (l.training = on)),
    setDropoutSeeds: (seed) => layers.forEach((l, i) => (l.dropoutSeed = seed + i)),
    extraLoss() {
      const reg = orthRegularization(tf, layers);
      lastOrth?.dispose();
      lastOrth = tf.keep(reg);
      return tf.mul(reg, ada.orth_reg_weight) as typeof reg;
    },
    async afterOptimizerStep({ step, grads }) {
      const byName = new Map<string, Tensor>(params.map((p, i) => [p.variable.name, grads[i]!]));
      const { budget, ranks } = await allocator.step(step, byName);
      const orth = lastOrth ? (await lastOrth.data())[0]! : 0;
      lastOrth?.dispose();
      lastOrth = null;
      return { metrics: { [METRIC.orthReg]: orth, [METRIC.adaloraBudget]: budget }, ...(ranks ? { ranks } : {}) };
    },
    saveState: () => allocator.state(),
    restoreState: (state) => allocator.restore(state),
    save: (dir) =>
      saveAdaloraAdapter(dir, layers, allocator.pattern, {
        r: loraSchema.parse({}).r,
        alpha,
        dropout: lora.dropout,
        targets,
        baseModel: loaded.dir,
        fanInFanOut,
        adalora: { ...ada, init_r: layers[0]?.ranknum ?? ada.init_r },
        totalSteps: config.train.steps,
      }),
    dispose() {
      lastOrth?.dispose();
      allocator.dispose();
      detach();
    },
  };
}
