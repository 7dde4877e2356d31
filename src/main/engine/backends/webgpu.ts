// The webgpu backend: @tensorflow/tfjs-backend-webgpu on Dawn's Node binding
// (the npm package `webgpu`, an N-API module, so the same binary loads in Node
// and in Electron's Node). Both are optional dependencies: an install where the
// binding cannot build still succeeds, and this loader then says which is missing.
//
// Dawn is asked for an adapter one native backend at a time — the platform's own
// first (vulkan on Linux, metal on macOS, d3d12 on Windows), then OpenGL where
// Dawn has it — at featureLevel 'core' and then 'compatibility' (Dawn's OpenGL
// backend offers only the latter; https://gpuweb.github.io/gpuweb/#dom-gpurequestadapteroptions-featurelevel).
// Each native backend that gives nothing, and each adapter passed over, becomes
// a fallback with its reason, so the doctor can say why the GPU stays idle.
//
// Software adapters (Mesa's llvmpipe and lavapipe, SwiftShader, Windows' WARP)
// emulate a GPU on the CPU and run our matmuls far slower than the wasm
// backend's XNNPACK, so 'auto' passes them over; asked for by name, webgpu
// uses them (a correctness path, e.g. CI through Mesa). Dawn's OpenGL backend
// reports llvmpipe with isFallbackAdapter false, so the name is what tells.
//
// tfjs-backend-webgpu registers its own factory only when navigator.gpu exists
// when it is imported, and that factory asks for a 'core' adapter; it is
// imported before navigator.gpu is set, and the backend is registered here with
// the adapter and device chosen above. Its kernels register on import either way.
// WebGPUBackend's constructor checks navigator.gpu and the shaders' buffer code
// uses the GPUBufferUsage / GPUMapMode globals: those are set on globalThis (only
// names not already there), and only once an adapter is taken. No `window` is
// needed: tfjs-core's browser checks read it only when it exists.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WebGpuAdapter } from '../../../shared/ipc/schemas';
import { describeAdapter } from '../../../shared/webgpu-adapter';
import type { Tf } from '../backend';

export const DAWN_PACKAGE = 'webgpu';
export const TFJS_WEBGPU_PACKAGE = '@tensorflow/tfjs-backend-webgpu';

/** What the doctor shows of the adapter in use; the IPC contract's form of it. */
export type WebGpuAdapterReport = WebGpuAdapter;

export type WebGpuAttempt =
  | { ok: true; package: string; adapter: WebGpuAdapterReport }
  | { ok: false; package: string; reason: string };

/** The native backends Dawn is asked for, in order: the platform's own first. */
export function dawnBackendOrder(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'darwin') return ['metal'];
  if (platform === 'win32') return ['d3d12', 'vulkan'];
  return ['vulkan', 'opengl'];
}

const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|microsoft basic render|\bwarp\b/i;

/** A software rasterizer's name in the adapter's info, or null for a hardware adapter. */
export function softwareAdapterName(info: Pick<WebGpuAdapterReport, 'vendor' | 'architecture' | 'device' | 'description' | 'name'>): string | null {
  const text = [info.name, info.device, info.description, info.vendor, info.architecture].filter(Boolean).join(' ');
  return SOFTWARE.exec(text)?.[0]?.toLowerCase() ?? null;
}

// Minimal shapes of the WebGPU objects used here (the `webgpu` package ships
// @webgpu/types, but it is optional and not part of our compile).
interface GpuLimits { [name: string]: number }
interface GpuAdapterInfo { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean }
interface GpuDevice { lost: Promise<{ reason: string; message: string }>; destroy(): void }
interface GpuAdapter {
  info: GpuAdapterInfo;
  limits: GpuLimits;
  isFallbackAdapter?: boolean;
  requestDevice(descriptor: { requiredLimits: Record<string, number> }): Promise<GpuDevice>;
}
interface Gpu { requestAdapter(options: { featureLevel: string; powerPreference: string }): Promise<GpuAdapter | null> }
interface DawnModule { create(options: string[]): Gpu; globals: Record<string, unknown> }
interface TfWebGpuModule { WebGPUBackend: new (device: GpuDevice, info?: GpuAdapterInfo) => unknown }

/** The loaded adapter: one per process, since tfjs registers a backend name once. */
let loaded: { adapter: WebGpuAdapterReport; gpu: Gpu; device: GpuDevice } | null = null;

/**
 * Loads the webgpu backend onto `tf` and returns one attempt per adapter source
 * tried; the last is ok when an adapter was taken. `allowSoftware` is false in
 * 'auto'; `order` is the native backends to ask (tests ask Dawn's 'null'
 * backend). Does not switch tf to the backend: the caller activates it.
 */
export async function loadWebGpu(tf: Tf, resolveFrom: string, allowSoftware: boolean, order = dawnBackendOrder()): Promise<WebGpuAttempt[]> {
  const req = createRequire(path.join(path.resolve(resolveFrom), 'noop.js'));
  const missing = [DAWN_PACKAGE, TFJS_WEBGPU_PACKAGE].find((pkg) => !resolves(req, pkg));
  if (missing) return [{ ok: false, package: missing, reason: `package ${missing} is not installed` }];

  if (loaded) return [decide(loaded.adapter, allowSoftware)];

  const attempts: WebGpuAttempt[] = [];
  let dawn: DawnModule | null = null;
  let software: Found | null = null;
  for (const backend of order) {
    // Dawn logs a failed native backend on stderr, once per engine start; what
    // can be told without it (no Vulkan loader, no display) is told here instead.
    const blocked = preflight(backend);
    if (blocked) {
      attempts.push({ ok: false, package: DAWN_PACKAGE, reason: `Dawn's ${backend} backend skipped: ${blocked}` });
      continue;
    }
    if (!dawn) {
      try {
        // `webgpu` is an ES module (its index.js also makes GPUDevice.destroy
        // unmap buffers); import() of the resolved file works from CommonJS,
        // under tsx and in the esbuild bundle (node_modules stay external).
        dawn = (await import(pathToFileURL(req.resolve(DAWN_PACKAGE)).href)) as DawnModule;
      } catch (err) {
        return [...attempts, { ok: false, package: DAWN_PACKAGE, reason: `package ${DAWN_PACKAGE} is installed but its native binding failed to load: ${firstLine(err)}` }];
      }
    }
    const found = await requestAdapter(dawn, backend);
    if ('reason' in found) {
      attempts.push({ ok: false, package: DAWN_PACKAGE, reason: found.reason });
    } else if (found.report.software) {
      // Keep looking for a hardware adapter; keep the first software one to fall back on.
      software ??= found;
      attempts.push(decide(found.report, false));
    } else {
      return [...attempts, await take(tf, req, dawn, found)];
    }
  }
  if (software && allowSoftware) {
    // Asked for by name: the software adapter's "passed over" line is no fallback now.
    const taken = software.report;
    return [...attempts.filter((a) => a.ok || !a.reason.startsWith(`software adapter ${softwareAdapterName(taken)} (Dawn ${taken.dawnBackend})`)), await take(tf, req, dawn!, software)];
  }
  return attempts;
}

/** The adapter in use, once a webgpu load succeeded in this process. */
export function webGpuAdapter(): WebGpuAdapterReport | null {
  return loaded?.adapter ?? null;
}

function decide(adapter: WebGpuAdapterReport, allowSoftware: boolean): WebGpuAttempt {
  if (adapter.software && !allowSoftware) {
    return {
      ok: false,
      package: DAWN_PACKAGE,
      reason:
        `software adapter ${softwareAdapterName(adapter)} (Dawn ${adapter.dawnBackend}): a CPU emulation, ` +
        `slower than the wasm backend; choose webgpu by name to use it`,
    };
  }
  return { ok: true, package: DAWN_PACKAGE, adapter };
}

type Found = { adapter: GpuAdapter; report: WebGpuAdapterReport; gpu: Gpu };

async function requestAdapter(dawn: DawnModule, backend: string): Promise<Found | { reason: string }> {
  let gpu: Gpu;
  try {
    gpu = dawn.create([`backend=${backend}`]);
  } catch (err) {
    return { reason: `Dawn's ${backend} backend: ${firstLine(err)}` };
  }
  for (const featureLevel of ['core', 'compatibility'] as const) {
    let adapter: GpuAdapter | null;
    try {
      adapter = await gpu.requestAdapter({ featureLevel, powerPreference: 'high-performance' });
    } catch (err) {
      return { reason: `Dawn's ${backend} backend: ${firstLine(err)}` };
    }
    if (!adapter) continue;
    // GPUAdapterInfo's fields are getters on its prototype: spread or JSON would see none.
    const info = adapter.info;
    const fields = { vendor: info.vendor ?? '', architecture: info.architecture ?? '', device: info.device ?? '', description: info.description ?? '' };
    const name = await adapterName(dawn, backend, featureLevel);
    const report: WebGpuAdapterReport = {
      dawnBackend: backend,
      featureLevel,
      ...fields,
      name,
      isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
      software: false,
      limits: {
        maxBufferSize: adapter.limits.maxBufferSize!,
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize!,
        maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage!,
      },
    };
    report.software = report.isFallbackAdapter || softwareAdapterName(report) !== null;
    return { adapter, report, gpu };
  }
  return { reason: `Dawn's ${backend} backend found no adapter${backend === 'vulkan' ? ' (the Vulkan loader has no device: no GPU driver, nor an ICD such as lavapipe)' : ''}` };
}

/**
 * Dawn's own name for the adapter. Dawn lists the adapters it has when asked
 * for one by a name it does not know ("Available adapters: * backend: 'opengl',
 * name: 'llvmpipe (LLVM 15.0.6, 256 bits)'"); that list is the only place the
 * binding gives the human-readable name (GPUAdapterInfo.device is a slug of it).
 */
async function adapterName(dawn: DawnModule, backend: string, featureLevel: string): Promise<string | null> {
  try {
    await dawn.create([`backend=${backend}`, 'adapter=loralab-list-adapters']).requestAdapter({ featureLevel, powerPreference: 'high-performance' });
  } catch (err) {
    const m = /name: '([^']+)'/.exec(String((err as Error)?.message ?? err));
    return m ? m[1]! : null;
  }
  return null;
}

/**
 * Why a native backend cannot give an adapter, told without asking Dawn, or
 * null. The loaders are opened the way Dawn opens them (dlopen by soname, so
 * LD_LIBRARY_PATH and ld.so.cache count); a library that opens but is no Node
 * module throws "did not self-register", which means it is there.
 */
export function preflight(backend: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  if (platform !== 'linux') return null;
  if (backend === 'vulkan' && !canOpen('libvulkan.so.1')) return 'no Vulkan loader (libvulkan.so.1 is not installed)';
  if (backend === 'opengl') {
    if (!canOpen('libEGL.so.1')) return 'no EGL (install libegl1 libegl-mesa0 libgl1-mesa-dri)';
    if (!env.EGL_PLATFORM && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'no display (set EGL_PLATFORM=surfaceless for headless EGL)';
  }
  return null;
}

function canOpen(soname: string): boolean {
  try {
    process.dlopen({ exports: {} }, soname);
    return true;
  } catch (err) {
    return !/cannot open shared object file/.test(firstLine(err));
  }
}

async function take(tf: Tf, req: NodeJS.Require, dawn: DawnModule, found: Found): Promise<WebGpuAttempt> {
  const { adapter, report, gpu } = found;
  let tfWebGpu: TfWebGpuModule;
  try {
    tfWebGpu = req(TFJS_WEBGPU_PACKAGE) as TfWebGpuModule;
  } catch (err) {
    return { ok: false, package: TFJS_WEBGPU_PACKAGE, reason: `package ${TFJS_WEBGPU_PACKAGE} is installed but failed to load: ${firstLine(err)}` };
  }
  if (tf.getKernelsForBackend('webgpu').length === 0) {
    // It required another copy of @tensorflow/tfjs-core than ours: its kernels sit on that engine.
    return { ok: false, package: TFJS_WEBGPU_PACKAGE, reason: `package ${TFJS_WEBGPU_PACKAGE} registered no kernels with LoRA Lab's tfjs ${tf.version_core} (a second @tensorflow/tfjs-core?)` };
  }
  let device: GpuDevice;
  try {
    // The adapter's own limits, as tfjs-backend-webgpu's factory asks for: the
    // defaults (e.g. 128 MiB storage bindings) are below what many adapters offer.
    const names = ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup'];
    device = await adapter.requestDevice({ requiredLimits: Object.fromEntries(names.map((n) => [n, adapter.limits[n]!])) });
  } catch (err) {
    return { ok: false, package: DAWN_PACKAGE, reason: `adapter ${describeAdapter(report)} refused a device: ${firstLine(err)}` };
  }
  void device.lost.then((info) => {
    if (info.reason !== 'destroyed') console.warn(`LoRA Lab: the WebGPU device was lost (${info.reason}): ${info.message}`);
  });
  // Only now, with the backend taken, do the globals tfjs needs appear (a passed-over adapter leaves none).
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  const nav = (globalThis as unknown as { navigator?: Record<string, unknown> }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  tf.registerBackend('webgpu', () => new tfWebGpu.WebGPUBackend(device, adapter.info) as ReturnType<Parameters<Tf['registerBackend']>[1]>, 0);
  loaded = { adapter: report, gpu, device };
  return { ok: true, package: DAWN_PACKAGE, adapter: report };
}

function resolves(req: NodeJS.Require, pkg: string): boolean {
  try {
    req.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n', 1)[0]!.trim();
}
