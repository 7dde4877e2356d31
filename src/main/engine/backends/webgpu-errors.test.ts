// A WebGPU error on the device (here a shader that does not compile) fails the
// next read back to the host with the device's message, instead of handing back
// the output buffer's stale contents. Its own file: the device stays distrusted
// for the rest of the process, as in an engine.
import assert from 'node:assert/strict';
import type { Tensor } from '@tensorflow/tfjs';
import { testOnBackends } from '../../../../test/backends';
import { webGpuDeviceError } from './webgpu-errors';

interface ProgramBackend {
  runWebGPUProgram(program: unknown, inputs: unknown[], dtype: 'float32'): { dataId: object; shape: number[]; dtype: 'float32' };
}

testOnBackends(
  'a shader that fails to compile fails the next read with the WebGPU error',
  async (tf, t) => {
    const x = tf.ones([3]);
    const ok = tf.add(x, 1);
    assert.deepEqual(Array.from(await ok.data()), [2, 2, 2]);
    assert.equal(webGpuDeviceError(), null);
    // getX returns f32: comparing it with a bool does not type-check in WGSL.
    const broken = {
      variableNames: ['x'],
      outputShape: [3],
      shaderKey: 'loralabTestBroken',
      dispatchLayout: { x: [0] },
      dispatch: [1, 1, 1],
      workgroupSize: [64, 1, 1],
      size: true,
      getUserCode: () => 'fn main(index : i32) { if (index < uniforms.size) { setOutputAtIndex(index, getX(index) == true); } }',
    };
    const info = (tf.backend() as unknown as ProgramBackend).runWebGPUProgram(broken, [x], 'float32');
    const out = tf.engine().makeTensorFromTensorInfo(info) as Tensor;
    await assert.rejects(out.data(), (err: Error) => {
      assert.equal(err.name, 'WebGpuDeviceError');
      assert.match(err.message, /^the WebGPU device reported an error, so results computed since are not trustworthy: GPUValidationError: \S/);
      return true;
    });
    t.diagnostic(webGpuDeviceError()!);
    // Every later read fails too: nothing the device computes is trusted again.
    await assert.rejects(ok.data(), /the WebGPU device reported an error/);
    [x, ok, out].forEach((t) => t.dispose());
  },
  ['webgpu'],
);
