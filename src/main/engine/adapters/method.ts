// One training method (lora, qlora, adalora, full) as the engine sees it: one
// object per folder under adapters/<method>/, registered in registry.ts. The
// trainer, adapter loading, merge and config checking reach a method only through
// this interface, so adding a method (DoRA, say) means adding a folder.
//
// Its pure half — config sections, PEFT type, saved tensor names and shapes,
// scaling, combination checks — is the MethodInfo in src/shared/config/methods.ts,
// which the inspector and the renderer read without loading the engine.
import type { Scalar, Tensor } from '@tensorflow/tfjs';
import type { ConfigIssue, MethodInfo } from '../../../shared/config/methods';
import type { RunConfig } from '../../../shared/config/run-config';
import type { Tf } from '../backend';
import type { SafetensorsFile } from '../io/safetensors/index';
import type { Linear } from '../models/decoder/linear';
import type { LoadedModel } from '../models/load-model';
import type { Param } from '../train/optimizer';
import type { Rng } from '../train/rng';
import type { LoraLayer } from './lora/layer';

export type { ConfigIssue };

/** Everything a method needs to set up training. */
export interface TrainContext {
  tf: Tf;
  loaded: LoadedModel;
  config: RunConfig;
  /** A PEFT adapter folder to continue (config init_from, resolved), or null. */
  initFrom: string | null;
  /** The run's seeded RNG: initial weights are drawn from it. */
  rng: Rng;
}

/** What the trainer tells a method after each optimizer step. */
export interface StepContext {
  /** Optimizer steps completed, 1 … totalSteps (PEFT's global_step for update_and_allocate). */
  step: number;
  totalSteps: number;
  /** The gradients the optimizer just applied (after clipping), in the order of `params`. */
  grads: readonly Tensor[];
}

/** What a method reports from a step: extra metrics, and (AdaLoRA) each matrix's rank after a masking step. */
export interface StepReport {
  metrics?: Record<string, number>;
  ranks?: { module: string; rank: number }[];
}

/** Method state a checkpoint holds beyond weights and optimizer moments (AdaLoRA: importance EMAs and the mask). */
export interface MethodState {
  tensors: { name: string; shape: number[]; data: Float32Array }[];
  json: unknown;
}

/** What one run trains, behind the small surface the trainer loop uses. */
export interface Trainable {
  /** Named, so optimizer state and checkpoints are keyed by name. */
  params: Param[];
  /** What save() writes: a PEFT adapter folder or a whole model folder. */
  result: 'adapter' | 'model';
  setTraining(on: boolean): void;
  /** Seeds the dropout masks of this step, so runs and resumes repeat exactly. */
  setDropoutSeeds(seed: number): void;
  /**
   * Loss terms added once per optimizer step to the mean token loss (AdaLoRA's
   * orthogonal regularization); called inside tf.variableGrads, so the terms train.
   */
  extraLoss?(): Scalar;
  // What reads tensors back to the host is async: a GPU backend (webgpu) answers
  // reads only with data(), never synchronously.
  /** Work after optimizer.step() and before the gradients are dropped (AdaLoRA: importance update and masking). */
  afterOptimizerStep?(ctx: StepContext): Promise<StepReport | void>;
  /** State a checkpoint must hold so a resume continues exactly; restored before the first resumed step. */
  saveState?(): Promise<MethodState>;
  restoreState?(state: MethodState): void;
  /** Writes the trained result into `dir` (an existing, empty folder). */
  save(dir: string): Promise<void>;
  /** Detaches adapters and frees their tensors. */
  dispose(): void;
}

/** One adapted module of a PEFT folder as merge needs it: ΔW = coefficient·B·A, in PEFT's layouts. */
export interface DeltaFactors {
  module: string;
  /** [r, in]; AdaLoRA's Λ is folded in (A ⊙ E). */
  a: Float32Array;
  /** [out, r]. */
  b: Float32Array;
  r: number;
  inF: number;
  outF: number;
  /** The method's scaling for this module. */
  scaling: number;
}

export interface AdapterMethod {
  /** The pure description: name, PEFT type, config sections, saved tensor names, combination checks. */
  readonly info: MethodInfo;
  /** Every config problem this method has with `config` (schema-valid already), with paths. */
  checkConfig(config: RunConfig): ConfigIssue[];
  /**
   * Problems continuing the adapter in `adapterDir` (init_from) under `config`, before
   * any run is recorded: the wrong PEFT type, or a config rank that disagrees with the source.
   */
  checkInitFrom?(config: RunConfig, adapterConfig: Record<string, unknown>, adapterDir: string): ConfigIssue[];
  /** Changes the frozen base before adapters attach (QLoRA quantizes the decoder's linear weights here). */
  prepareBase?(tf: Tf, loaded: LoadedModel, config: RunConfig): Promise<void>;
  /** Creates (or continues, with initFrom) what the run trains. */
  createTrainable(ctx: TrainContext): Trainable;
  /** Builds runtime layers from a PEFT adapter folder of this method's peft_type (not attached yet). */
  load?(tf: Tf, dir: string, config: Record<string, unknown>, linears: Map<string, Linear>): LoraLayer[];
  /** The per-module factors of a PEFT folder of this method's peft_type, for merge (no tfjs). */
  deltaFactors?(dir: string, config: Record<string, unknown>, weights: SafetensorsFile): DeltaFactors[];
}

export class MethodError extends Error {
  override readonly name = 'MethodError';
}
