// How a WebGPU adapter is named to people: the doctor's text, the app's backend
// badge, the bench labels. Shared because the CLI and the renderer see only the
// doctor report, not the engine.
import type { WebGpuAdapter } from './ipc/schemas';

/** One line naming the adapter, e.g. 'llvmpipe (LLVM 15.0.6, 256 bits) (Dawn opengl, compatibility, …) — a software rasterizer, …'. */
export function describeAdapter(a: WebGpuAdapter): string {
  const parts = [`Dawn ${a.dawnBackend}`, a.featureLevel === 'compatibility' ? 'compatibility' : null, a.description || null].filter(Boolean);
  return `${adapterName(a)} (${parts.join(', ')})${a.software ? ' — a software rasterizer, a CPU emulation of a GPU' : ''}`;
}

/** The adapter's short name: Dawn's own, else GPUAdapterInfo's vendor, architecture and device. */
export function adapterName(a: WebGpuAdapter): string {
  return a.name ?? ([a.vendor, a.architecture, a.device].filter(Boolean).join(' ') || 'unnamed adapter');
}

/** The limits that bound a model's tensors, in MiB where they are sizes. */
export function adapterLimits(a: WebGpuAdapter): string {
  const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;
  return (
    `maxBufferSize ${mib(a.limits.maxBufferSize)}, maxStorageBufferBindingSize ${mib(a.limits.maxStorageBufferBindingSize)}, ` +
    `maxStorageBuffersPerShaderStage ${a.limits.maxStorageBuffersPerShaderStage}`
  );
}
