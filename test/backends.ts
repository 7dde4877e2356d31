// The tfjs backends the engine's golden and training tests run on: wasm and cpu
// always, and webgpu (Dawn through whatever GPU driver the machine has; Mesa's
// llvmpipe on a headless CI box) when its optional packages and an adapter are
// there. Where webgpu is absent its test still runs and asserts that the engine
// names a reason an install may legitimately have (a package not installed, no
// adapter, no EGL) — any other failure to load fails the test, and
// LORALAB_REQUIRE_WEBGPU=1 (set where the packages and Mesa are installed) makes
// absence itself a failure, so the webgpu runs are never silently dropped.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { WebGpuAdapter } from '../src/shared/ipc/schemas';
import { BackendError, selectBackend, type BackendSelection, type Tf } from '../src/main/engine/backend';

export const TEST_BACKENDS = ['wasm', 'cpu', 'webgpu'] as const;
export type TestBackend = (typeof TEST_BACKENDS)[number];

/** Why an install may have no webgpu backend, in the engine's own words (backends/webgpu.ts)… */
const ABSENT = /is not installed|found no adapter|backend skipped: no /;
/** …and what is a broken one, never excused. */
const BROKEN = /failed to load|refused a device|failed its check|computed a wrong|registered no kernels|failed to initialize/;

// Headless Linux (CI, this machine): Mesa's EGL needs a platform to open without a display.
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) process.env.EGL_PLATFORM ??= 'surfaceless';

/**
 * Switches the engine to `backend` and returns the selection, or — for webgpu on
 * a machine without it — null after asserting why (see the file header).
 * `resolveFrom` is where the optional packages are looked up (default: LoRA Lab's root).
 */
export async function useBackend(backend: TestBackend, t?: TestContext, resolveFrom?: string): Promise<BackendSelection | null> {
  try {
    return await selectBackend({ prefer: backend, ...(resolveFrom ? { resolveFrom } : {}) });
  } catch (err) {
    if (backend !== 'webgpu' || !(err instanceof BackendError) || err.code !== 'BACKEND_UNAVAILABLE') throw err;
    assert.notEqual(process.env.LORALAB_REQUIRE_WEBGPU, '1', `LORALAB_REQUIRE_WEBGPU=1 but ${err.message}`);
    assert.ok(ABSENT.test(err.message) && !BROKEN.test(err.message), `webgpu failed for a reason other than an absent package or adapter: ${err.message}`);
    t?.diagnostic(`webgpu absent here: ${err.message}`);
    return null;
  }
}

/**
 * One test per backend, `${title} [backend]`, whose body gets that backend's tf
 * (subtests go through t.test). Bodies run one backend after another, so each
 * leaves nothing behind that the next backend would have to read.
 */
export function testOnBackends(title: string, body: (tf: Tf, t: TestContext, backend: TestBackend) => Promise<void> | void, backends: readonly TestBackend[] = TEST_BACKENDS): void {
  for (const backend of backends) {
    test(`${title} [${backend}]`, async (t) => {
      const selection = await useBackend(backend, t);
      if (selection) await body(selection.tf, t, backend);
    });
  }
}

/** Mesa's llvmpipe through Dawn's OpenGL backend, as measured here. */
export const LLVMPIPE_ADAPTER: WebGpuAdapter = {
  dawnBackend: 'opengl',
  featureLevel: 'compatibility',
  vendor: '',
  architecture: '',
  device: 'llvmpipe-llvm-15-0-6-256-bits-',
  description: 'OpenGL version 4.5 (Core Profile) Mesa 22.3.6',
  name: 'llvmpipe (LLVM 15.0.6, 256 bits)',
  isFallbackAdapter: false,
  software: true,
  limits: { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 27, maxStorageBuffersPerShaderStage: 16 },
};
