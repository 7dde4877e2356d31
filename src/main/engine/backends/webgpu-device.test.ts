// The device the webgpu backend computes on was asked for the adapter's own
// buffer and dispatch limits, as tfjs-backend-webgpu's factory asks
// (backend_webgpu.ts): WebGPU's defaults (256 MiB buffers, 128 MiB storage
// bindings, https://gpuweb.github.io/gpuweb/#limits) are below what most adapters
// offer — llvmpipe's maxBufferSize is 2 GiB — and the buffer-limit check
// (webgpu-limits.ts) judges a model by the adapter's numbers, so the device must
// have them. Absent webgpu: see test/backends.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useBackend } from '../../../../test/backends';

test('the webgpu device has the adapter\'s buffer limits, not WebGPU\'s defaults', async (t) => {
  const selection = await useBackend('webgpu', t);
  if (!selection) return;
  const device = (selection.tf.backend() as unknown as { device: { limits: Record<string, number> } }).device;
  const adapter = selection.webgpu!;
  assert.equal(device.limits.maxBufferSize, adapter.limits.maxBufferSize);
  assert.equal(device.limits.maxStorageBufferBindingSize, adapter.limits.maxStorageBufferBindingSize);
  t.diagnostic(`maxBufferSize ${device.limits.maxBufferSize}, maxStorageBufferBindingSize ${device.limits.maxStorageBufferBindingSize}`);
});
