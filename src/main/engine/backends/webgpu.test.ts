// Tests for the webgpu loader's decisions: which native backends Dawn is asked
// for, what is told before asking it, how a software adapter is recognised, and
// the reasons when a package is missing or broken (fake packages in a temporary
// folder, found through resolveFrom as the real ones are). The real adapter is
// exercised through selectBackend in ../backend.test.ts.
// Run: node --import tsx --test src/main/engine/backends/webgpu.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tfjs from '@tensorflow/tfjs';
import { describeAdapter } from '../../../shared/webgpu-adapter';
import { dawnBackendOrder, loadWebGpu, preflight, softwareAdapterName } from './webgpu';
import { LLVMPIPE_ADAPTER as llvmpipe } from '../../../../test/backends';

test('Dawn is asked for the platform API first, then OpenGL on Linux', () => {
  assert.deepEqual(dawnBackendOrder('linux'), ['vulkan', 'opengl']);
  assert.deepEqual(dawnBackendOrder('darwin'), ['metal']);
  assert.deepEqual(dawnBackendOrder('win32'), ['d3d12', 'vulkan']);
});

test('software rasterizers are told from hardware adapters by name', () => {
  assert.equal(softwareAdapterName(llvmpipe), 'llvmpipe');
  assert.equal(softwareAdapterName({ ...llvmpipe, name: null, device: 'llvmpipe (LLVM 15.0.6, 256 bits)' }), 'llvmpipe');
  assert.equal(softwareAdapterName({ vendor: 'mesa', architecture: '', device: 'lavapipe', description: 'Mesa 22.3.6', name: null }), 'lavapipe');
  assert.equal(softwareAdapterName({ vendor: 'google', architecture: '', device: 'SwiftShader Device (Subzero)', description: '', name: null }), 'swiftshader');
  assert.equal(softwareAdapterName({ vendor: 'microsoft', architecture: '', device: 'Microsoft Basic Render Driver', description: '', name: null }), 'microsoft basic render');
  assert.equal(softwareAdapterName({ vendor: 'nvidia', architecture: 'ada', device: 'NVIDIA GeForce RTX 4090', description: 'NVIDIA 550.54', name: null }), null);
  assert.equal(softwareAdapterName({ vendor: 'apple', architecture: 'metal-3', device: '', description: 'Apple M2', name: null }), null);
});

test('the one-line description names the adapter, the Dawn backend and a CPU emulation', () => {
  assert.equal(
    describeAdapter(llvmpipe),
    'llvmpipe (LLVM 15.0.6, 256 bits) (Dawn opengl, compatibility, OpenGL version 4.5 (Core Profile) Mesa 22.3.6) — a software rasterizer, a CPU emulation of a GPU',
  );
  const gpu = { ...llvmpipe, dawnBackend: 'vulkan', featureLevel: 'core' as const, vendor: 'nvidia', architecture: 'ada', device: 'rtx 4090', description: 'NVIDIA 550.54', name: null, software: false };
  assert.equal(describeAdapter(gpu), 'nvidia ada rtx 4090 (Dawn vulkan, NVIDIA 550.54)');
});

test('what is told without Dawn: no display for headless EGL, other platforms left to Dawn', () => {
  const noDisplay = preflight('opengl', {}, 'linux');
  // Either EGL is missing altogether, or it is there and only the platform is unset.
  assert.match(noDisplay ?? '', /^(no EGL \(install libegl1 libegl-mesa0 libgl1-mesa-dri\)|no display \(set EGL_PLATFORM=surfaceless for headless EGL\))$/);
  const headless = preflight('opengl', { EGL_PLATFORM: 'surfaceless' }, 'linux');
  assert.ok(headless === null || headless.startsWith('no EGL'), String(headless));
  assert.equal(preflight('opengl', { DISPLAY: ':0' }, 'linux'), headless);
  const vulkan = preflight('vulkan', {}, 'linux');
  assert.ok(vulkan === null || vulkan === 'no Vulkan loader (libvulkan.so.1 is not installed)', String(vulkan));
  assert.equal(preflight('metal', {}, 'darwin'), null);
  assert.equal(preflight('d3d12', {}, 'win32'), null);
});

function fakePackage(root: string, name: string, indexJs: string): void {
  const dir = path.join(root, 'node_modules', ...name.split('/'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '0.0.0', main: 'index.js' }));
  writeFileSync(path.join(dir, 'index.js'), indexJs);
}

test('each missing package is named', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'loralab-webgpu-'));
  try {
    assert.deepEqual(await loadWebGpu(tfjs, root, true), [{ ok: false, package: 'webgpu', reason: 'package webgpu is not installed' }]);
    fakePackage(root, 'webgpu', 'module.exports = {};\n');
    assert.deepEqual(await loadWebGpu(tfjs, root, true), [
      { ok: false, package: '@tensorflow/tfjs-backend-webgpu', reason: 'package @tensorflow/tfjs-backend-webgpu is not installed' },
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a Dawn binding that fails to load is reported with its error', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'loralab-webgpu-'));
  try {
    fakePackage(root, 'webgpu', "throw new Error('libEGL.so.1: cannot open shared object file: No such file or directory\\n    at dlopen');\n");
    fakePackage(root, '@tensorflow/tfjs-backend-webgpu', 'module.exports = {};\n');
    // Dawn's 'null' backend: nothing to tell beforehand, so the binding is loaded.
    assert.deepEqual(await loadWebGpu(tfjs, root, true, ['null']), [
      {
        ok: false,
        package: 'webgpu',
        reason: 'package webgpu is installed but its native binding failed to load: libEGL.so.1: cannot open shared object file: No such file or directory',
      },
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
