// Loads a Hugging Face model folder into the runtime: config.json picks the
// architecture, the checkpoint (single or sharded safetensors) supplies the
// weights one tensor at a time, and the folder's tokenizer comes along if present.
import type { Tf } from '../backend';
import { openCheckpoint } from '../io/safetensors/index';
import { readModelConfigJson } from './config-json';
import { ModelConfigError, architectureFor, type Architecture, type ModelSpec } from './index';
import type { DecoderModel } from './decoder/decoder';

export interface LoadedModel {
  dir: string;
  architecture: Architecture;
  spec: ModelSpec;
  model: DecoderModel;
}

export function readModelConfig(dir: string): { architecture: Architecture; spec: ModelSpec; raw: Record<string, unknown> } {
  const { file, raw } = readModelConfigJson(dir);
  const architecture = architectureFor(raw, file);
  return { architecture, spec: architecture.parseConfig(raw, file), raw };
}

export function loadModel(tf: Tf, dir: string): LoadedModel {
  const { architecture, spec } = readModelConfig(dir);
  if (!architecture.build) {
    throw new ModelConfigError(`${dir}: model_type "${spec.modelType}" can be inspected and merged, but LoRA Lab cannot run its forward pass yet`);
  }
  const checkpoint = openCheckpoint(dir);
  // A scope around the build frees whatever was uploaded when a later tensor fails
  // its checks; the finished model's tensors are kept out of it.
  tf.engine().startScope();
  try {
    const model = architecture.build(tf, spec, {
      shape: (name) => checkpoint.tensors.get(name)?.shape,
      readFloat32: (name) => checkpoint.readFloat32(name),
      readFloat32Transposed: (name) => checkpoint.readFloat32Transposed(name),
    });
    model.tensors().forEach((t) => tf.keep(t));
    return { dir, architecture, spec, model };
  } finally {
    tf.engine().endScope();
    checkpoint.close();
  }
}
