// Making trainable variables without leaving their initial tensors behind:
// tf.variable() takes a reference to its initial value, which then has to be
// disposed separately or it counts against the tensor budget forever.
import type { Tensor, Variable } from '@tensorflow/tfjs';
import type { Tf } from '../backend';

export function variableFrom(tf: Tf, init: Tensor, name: string, trainable = true): Variable {
  const v = tf.variable(init, trainable, name);
  init.dispose();
  return v;
}
