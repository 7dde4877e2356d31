// Turns checkpoint tensors into runtime weights one tensor at a time, so peak
// memory stays near the float32 model plus one tensor: each tensor is read,
// converted (and for [out, in] linear weights transposed in JS, before it ever
// reaches the backend), uploaded, and its JS copy dropped.
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '../../backend';
import type { NormWeights } from './layers';
import { makeLinear, type Linear } from './linear';

/** Where tensors come from: a checkpoint on disk, or anything with the same two calls. */
export interface TensorSource {
  shape(name: string): number[] | undefined;
  readFloat32(name: string): Float32Array;
  /** Optional: a 2-D tensor read straight into transposed order (saves a full-size copy). */
  readFloat32Transposed?(name: string): Float32Array;
}

export class MissingTensorError extends Error {
  override readonly name = 'MissingTensorError';
}

export function requireShape(src: TensorSource, name: string, expected?: number[]): number[] {
  const shape = src.shape(name);
  if (!shape) throw new MissingTensorError(`the checkpoint has no tensor "${name}"`);
  if (expected && (shape.length !== expected.length || shape.some((d, i) => d !== expected[i]))) {
    throw new MissingTensorError(`tensor "${name}" has shape [${shape}], expected [${expected}] from config.json`);
  }
  return shape;
}

/** [rows, cols] row-major → [cols, rows], blocked for cache locality. */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    for (let c0 = 0; c0 < cols; c0 += B) {
      const r1 = Math.min(r0 + B, rows);
      const c1 = Math.min(c0 + B, cols);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[c * rows + r] = data[r * cols + c]!;
    }
  }
  return out;
}

export function loadTensor1d(tf: Tf, src: TensorSource, name: string, size?: number): Tensor1D {
  const shape = requireShape(src, name, size === undefined ? undefined : [size]);
  if (shape.length !== 1) throw new MissingTensorError(`tensor "${name}" has shape [${shape}], expected one dimension`);
  return tf.tensor1d(src.readFloat32(name), 'float32');
}

export function loadTensor2d(tf: Tf, src: TensorSource, name: string, expected?: [number, number]): Tensor2D {
  const shape = requireShape(src, name, expected) as [number, number];
  return tf.tensor2d(src.readFloat32(name), shape);
}

/**
 * A linear layer from `<tensor>.weight` (+ `.bias`). `layout` says how the
 * checkpoint stores it: 'out-in' (nn.Linear) is transposed on load, 'in-out'
 * (GPT-2's Conv1D) is used as is.
 */
export function loadLinear(
  tf: Tf,
  src: TensorSource,
  opts: { tensor: string; module: string; layout: 'out-in' | 'in-out'; inFeatures: number; outFeatures: number; bias: boolean },
): Linear {
  const { tensor, module, layout, inFeatures, outFeatures } = opts;
  const stored: [number, number] = layout === 'out-in' ? [outFeatures, inFeatures] : [inFeatures, outFeatures];
  requireShape(src, `${tensor}.weight`, stored);
  const name = `${tensor}.weight`;
  let data: Float32Array;
  if (layout === 'in-out') data = src.readFloat32(name);
  else data = src.readFloat32Transposed ? src.readFloat32Transposed(name) : transpose2d(src.readFloat32(name), outFeatures, inFeatures);
  const w = tf.tensor2d(data, [inFeatures, outFeatures]);
  const b = opts.bias ? loadTensor1d(tf, src, `${tensor}.bias`, outFeatures) : null;
  return makeLinear(module, w, b, layout, tensor);
}

export function loadNorm(tf: Tf, src: TensorSource, prefix: string, size: number, bias: boolean): NormWeights {
  return {
    weight: loadTensor1d(tf, src, `${prefix}.weight`, size),
    bias: bias ? loadTensor1d(tf, src, `${prefix}.bias`, size) : null,
    tensor: prefix,
  };
}
