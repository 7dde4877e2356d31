// What a run trains comes from its method's folder (adapters/<method>/), looked up
// in the registry; this is the trainer's one entry to it.
import type { RunConfig } from '../../../shared/config/run-config';
import type { Trainable } from '../adapters/method';
import { getMethod } from '../adapters/registry';
import type { Tf } from '../backend';
import type { LoadedModel } from '../models/load-model';
import type { Rng } from './rng';

export type { Trainable };
export { MethodError } from '../adapters/method';

export function createTrainable(tf: Tf, loaded: LoadedModel, config: RunConfig, initFrom: string | null, rng: Rng): Trainable {
  return getMethod(config.method).createTrainable({ tf, loaded, config, initFrom, rng });
}
