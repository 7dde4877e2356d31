// Finds a non-finite value in a model folder's weights (every shard, in name
// order). Asked only after a loss or eval came out non-finite: a checkpoint that
// already holds NaN or ±Infinity explains it, and then "lower the learning rate"
// is the wrong advice. Reads one tensor at a time.
import { FLOAT_DTYPES, openCheckpoint } from '../io/safetensors/index';

export interface NonFiniteWeight {
  file: string;
  tensor: string;
  index: number;
  value: number;
}

export function findNonFiniteWeight(modelDir: string): NonFiniteWeight | null {
  let ckpt;
  try {
    ckpt = openCheckpoint(modelDir);
  } catch {
    return null; // not a safetensors folder this can read; the caller's own message stands
  }
  try {
    for (const [name, info] of ckpt.tensors) {
      if (!(FLOAT_DTYPES as readonly string[]).includes(info.dtype)) continue;
      const data = ckpt.readFloat32(name);
      for (let i = 0; i < data.length; i++) {
        if (!Number.isFinite(data[i]!)) return { file: info.file, tensor: name, index: i, value: data[i]! };
      }
    }
    return null;
  } finally {
    ckpt.close();
  }
}

/** "the base checkpoint <file> has NaN in tensor "<name>" (element i)". */
export function describeNonFiniteWeight(w: NonFiniteWeight): string {
  return `the base checkpoint ${w.file} has ${Number.isNaN(w.value) ? 'NaN' : w.value} in tensor "${w.tensor}" (element ${w.index}); the model weights are broken, not the training settings`;
}
