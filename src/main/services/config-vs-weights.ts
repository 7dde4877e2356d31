// A model folder's config.json must agree with its weights: inspect computes sizes
// and memory from the config, so a config that says hidden_size 1e12 over a 64-wide
// checkpoint would report an estimate of 147 million GB without a word. The
// architecture's tensorShapes(spec) — the shapes the config implies, the same
// table a preset is sized from — is compared with the tensor headers.
import { ModelConfigError, type Architecture, type ModelSpec } from '../engine/models/index';

interface Shaped {
  name: string;
  shape: readonly number[];
}

export function checkConfigAgainstWeights(arch: Architecture, spec: ModelSpec, actual: readonly Shaped[], configPath: string): void {
  // Every layer has at least one tensor; a layer count beyond the tensor count is a
  // contradiction (and would make the expected table absurdly long to build).
  if (spec.layers > actual.length) {
    throw new ModelConfigError(`${configPath} contradicts the weights: it says ${spec.layers} layers, but the checkpoint has only ${actual.length} tensors`);
  }
  const byName = new Map(actual.map((t) => [t.name, t]));
  for (const expected of arch.tensorShapes(spec)) {
    const got = byName.get(expected.name);
    if (!got) continue; // naming variants and tied weights are the loader's to judge
    if (got.shape.length !== expected.shape.length || got.shape.some((d, i) => d !== expected.shape[i])) {
      throw new ModelConfigError(
        `${configPath} contradicts the weights: it implies "${expected.name}" is [${expected.shape.join(', ')}], ` +
          `but the checkpoint has [${got.shape.join(', ')}] (check hidden_size, intermediate_size, the head counts and vocab_size)`,
      );
    }
  }
}
