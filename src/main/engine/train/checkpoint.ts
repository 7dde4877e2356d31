// Training checkpoints for exact resume: the trainable weights, AdamW's moments,
// the step, the RNG state and the data position, written atomically as one
// folder `step-000050/`:
//   trainable.safetensors   each trainable variable by name (runtime layout, float32)
//   optimizer.safetensors   <name>.exp_avg and <name>.exp_avg_sq (float32)
//   trainer_state.json      step, optimizer step, rng state, data position, method
//   method_state.safetensors the method's own state (AdaLoRA: importance EMAs), its
//                           JSON part (the mask) in trainer_state.json's methodState
//   adapter/                the PEFT adapter as of this step (adapter methods), so a
//                           checkpoint folder can be an init_from ("continue from here")
// Everything is float32 written bit for bit, so a resumed run continues exactly.
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SafetensorsFile, writeSafetensors } from '../io/safetensors/index';
import { writeDirAtomically } from '../io/atomic-dir';
import { writeJsonFile } from '../io/json-file';
import type { MethodState } from '../adapters/method';
import type { LoaderState } from './data-loader';
import type { AdamW, AdamWState, Param } from './optimizer';

export const CHECKPOINT_FORMAT = 'loralab-checkpoint/1';
export const METHOD_STATE_FILE = 'method_state.safetensors';
/** The PEFT adapter folder inside an adapter method's checkpoint. */
export const CHECKPOINT_ADAPTER = 'adapter';

export interface TrainerState {
  format: typeof CHECKPOINT_FORMAT;
  step: number;
  optimizerStep: number;
  rngState: number;
  data: LoaderState;
  method: string;
  /** Where the run's config said the model is, for a sanity check on resume. */
  model: string;
  /** The JSON half of the method's state (absent for methods without state). */
  methodState?: unknown;
}

export interface CheckpointExtras {
  methodState: MethodState | null;
  /** Writes the PEFT adapter as of this step into the folder given. */
  adapter: ((dir: string) => void | Promise<void>) | null;
}

export const checkpointName = (step: number): string => `step-${String(step).padStart(6, '0')}`;

export async function saveCheckpoint(
  dir: string,
  params: readonly Param[],
  optimizer: AdamW,
  state: TrainerState,
  extras: CheckpointExtras = { methodState: null, adapter: null },
): Promise<void> {
  // Host copies first, with data(): a GPU backend answers reads only asynchronously.
  const weights = await Promise.all(params.map(async (p) => (await p.variable.data()) as Float32Array));
  const opt = await optimizer.state();
  await writeDirAtomically(dir, async (tmp) => {
    if (extras.methodState) {
      writeSafetensors(join(tmp, METHOD_STATE_FILE), extras.methodState.tensors.map((t) => ({ ...t, dtype: 'F32' as const })), { format: 'loralab' });
      state = { ...state, methodState: extras.methodState.json };
    }
    if (extras.adapter) {
      mkdirSync(join(tmp, CHECKPOINT_ADAPTER));
      await extras.adapter(join(tmp, CHECKPOINT_ADAPTER));
    }
    writeSafetensors(
      join(tmp, 'trainable.safetensors'),
      params.map((p, i) => ({ name: p.name, dtype: 'F32', shape: p.variable.shape, data: weights[i]! })),
      { format: 'loralab' },
    );
    writeSafetensors(
      join(tmp, 'optimizer.safetensors'),
      [...opt.moments].flatMap(([name, s]) => {
        const shape = params.find((p) => p.name === name)!.variable.shape;
        return [
          { name: `${name}.exp_avg`, dtype: 'F32' as const, shape, data: s.m },
          { name: `${name}.exp_avg_sq`, dtype: 'F32' as const, shape, data: s.v },
        ];
      }),
      { format: 'loralab' },
    );
    writeJsonFile(join(tmp, 'trainer_state.json'), state);
  });
}

export interface LoadedCheckpoint {
  state: TrainerState;
  weights: Map<string, Float32Array>;
  optimizer: AdamWState;
  methodState: MethodState | null;
}

export function loadCheckpoint(dir: string): LoadedCheckpoint {
  const stateFile = join(dir, 'trainer_state.json');
  if (!existsSync(stateFile)) throw new Error(`${dir}: not a LoRA Lab checkpoint (no trainer_state.json)`);
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as TrainerState;
  if (state.format !== CHECKPOINT_FORMAT) throw new Error(`${stateFile}: unknown checkpoint format ${JSON.stringify(state.format)}`);
  const weights = new Map<string, Float32Array>();
  const w = SafetensorsFile.open(join(dir, 'trainable.safetensors'));
  try {
    for (const name of w.header.tensors.keys()) weights.set(name, w.readFloat32(name));
  } finally {
    w.close();
  }
  const moments = new Map<string, { m: Float32Array; v: Float32Array }>();
  const o = SafetensorsFile.open(join(dir, 'optimizer.safetensors'));
  try {
    for (const name of weights.keys()) {
      moments.set(name, { m: o.readFloat32(`${name}.exp_avg`), v: o.readFloat32(`${name}.exp_avg_sq`) });
    }
  } finally {
    o.close();
  }
  let methodState: MethodState | null = null;
  if (existsSync(join(dir, METHOD_STATE_FILE))) {
    const m = SafetensorsFile.open(join(dir, METHOD_STATE_FILE));
    try {
      const tensors = [...m.header.tensors.values()].map((t) => ({ name: t.name, shape: [...t.shape], data: m.readFloat32(t.name) }));
      methodState = { tensors, json: state.methodState ?? null };
    } finally {
      m.close();
    }
  }
  return { state, weights, optimizer: { step: state.optimizerStep, moments }, methodState };
}

/** The newest complete checkpoint folder under `checkpointsDir`, if any. */
export function latestCheckpoint(checkpointsDir: string): string | null {
  if (!existsSync(checkpointsDir)) return null;
  const names = readdirSync(checkpointsDir).filter((n) => /^step-\d{6,}$/.test(n)).sort();
  return names.length ? join(checkpointsDir, names.at(-1)!) : null;
}
