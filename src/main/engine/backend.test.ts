// Tests for the backend choice, on this machine's real packages (no tfjs-node
// installed, tfjs-backend-wasm installed, webgpu where its optional packages
// are) and on a fake broken tfjs-node-gpu.
// Backends register globally, so the tests switch backends in one process.
// Run: node --import tsx --test src/main/engine/backend.test.ts
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { doctorReportSchema } from '../../shared/ipc/schemas';
import { BackendError, doctorReport, getTf, selectBackend } from './backend';
import { dawnBackendOrder, preflight } from './backends/webgpu';
import { webgpuPackagesInstalled } from '../../../test/helpers';

const savedEnv = process.env.LORALAB_BACKEND;
function setEnv(value: string | undefined): void {
  if (value === undefined) delete process.env.LORALAB_BACKEND;
  else process.env.LORALAB_BACKEND = value;
}
after(() => setEnv(savedEnv));

test('auto selects wasm here and says why tensorflow was skipped', async () => {
  setEnv(undefined);
  const s = await selectBackend();
  assert.equal(s.backend, 'wasm');
  assert.equal(s.package, '@tensorflow/tfjs-backend-wasm');
  assert.equal(s.gpu.available, false);
  assert.match(s.tfjsVersion, /^\d+\.\d+\.\d+/);
  assert.deepEqual(s.fallbacks.slice(0, 2), [
    { backend: 'tensorflow', package: '@tensorflow/tfjs-node-gpu', reason: '@tensorflow/tfjs-node-gpu is not installed' },
    { backend: 'tensorflow', package: '@tensorflow/tfjs-node', reason: '@tensorflow/tfjs-node is not installed' },
  ]);
  // Then webgpu, which auto never takes here: its packages are absent, or Dawn
  // has no adapter, or only a software one (webgpu.test.ts covers each case).
  const webgpu = s.fallbacks.slice(2);
  assert.ok(webgpu.length >= 1, JSON.stringify(s.fallbacks));
  for (const f of webgpu) {
    assert.equal(f.backend, 'webgpu');
    assert.match(f.reason, /^(package \S+ is not installed|Dawn's \w+ backend (skipped|found no adapter)|software adapter \w+ )/);
  }
  assert.equal(s.webgpu, null);
  const tf = getTf();
  assert.equal(s.tf, tf);
  assert.ok(!('tf' in JSON.parse(JSON.stringify(s))), 'the selection serializes as plain data');
  assert.equal(tf.getBackend(), 'wasm');
  const y = tf.tidy(() => tf.matMul(tf.ones([3, 4]), tf.ones([4, 2])));
  assert.deepEqual(Array.from(await y.data()), [4, 4, 4, 4, 4, 4]);
  y.dispose();
});

test('the doctor report fits the IPC schema', async () => {
  const report = doctorReport(await selectBackend({ prefer: 'auto' }), '/tmp/registry.sqlite');
  assert.deepEqual(doctorReportSchema.parse(report), report);
  assert.equal(report.registryPath, '/tmp/registry.sqlite');
  assert.equal(report.platform, `${process.platform}-${process.arch}`);
  assert.ok(report.cpus >= 1 && report.memoryBytes > 0);
});

test('LORALAB_BACKEND=cpu selects cpu; the argument wins over the variable', async () => {
  setEnv('cpu');
  try {
    const s = await selectBackend();
    assert.equal(s.backend, 'cpu');
    assert.equal(s.package, null);
    assert.deepEqual(s.fallbacks, []);
    assert.equal(getTf().getBackend(), 'cpu');
    assert.equal((await selectBackend({ prefer: 'wasm' })).backend, 'wasm');
    assert.equal(getTf().getBackend(), 'wasm');
  } finally {
    setEnv(undefined);
  }
});

test('forcing tensorflow without tfjs-node is a clear error, not a fallback', async () => {
  await assert.rejects(selectBackend({ prefer: 'tensorflow' }), (err: unknown) => {
    assert.ok(err instanceof BackendError);
    assert.equal(err.code, 'BACKEND_UNAVAILABLE');
    assert.match(err.message, /backend 'tensorflow' was requested/);
    assert.match(err.message, /@tensorflow\/tfjs-node-gpu is not installed/);
    assert.match(err.message, /@tensorflow\/tfjs-node is not installed/);
    return true;
  });
  setEnv('tensorflow');
  try {
    await assert.rejects(selectBackend(), /LORALAB_BACKEND=tensorflow/);
  } finally {
    setEnv(undefined);
  }
});

test('an unknown preference names the variable and the value', async () => {
  setEnv('webgl');
  try {
    await assert.rejects(selectBackend(), /LORALAB_BACKEND must be one of tensorflow, webgpu, wasm, cpu, auto; got 'webgl'/);
    // 'auto' as an argument overrides a bad variable: the argument wins.
    assert.equal((await selectBackend({ prefer: 'auto' })).backend, 'wasm');
  } finally {
    setEnv(undefined);
  }
});

test('an installed tfjs-node-gpu that fails to load is reported with its error', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'loralab-backend-'));
  try {
    const pkg = path.join(root, 'node_modules', '@tensorflow', 'tfjs-node-gpu');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node-gpu', version: '4.22.0', main: 'index.js' }));
    writeFileSync(
      path.join(pkg, 'index.js'),
      "throw new Error('libcudnn.so.8: cannot open shared object file: No such file or directory\\n    at dlopen (native)');\n",
    );
    const s = await selectBackend({ resolveFrom: root });
    assert.equal(s.backend, 'wasm');
    assert.equal(s.gpu.available, false);
    const gpu = s.fallbacks.find((f) => f.package === '@tensorflow/tfjs-node-gpu');
    assert.ok(gpu, JSON.stringify(s.fallbacks));
    assert.equal(gpu.backend, 'tensorflow');
    assert.equal(
      gpu.reason,
      '@tensorflow/tfjs-node-gpu is installed but failed to load: libcudnn.so.8: cannot open shared object file: No such file or directory',
    );
    const cpuPkg = s.fallbacks.find((f) => f.package === '@tensorflow/tfjs-node');
    assert.equal(cpuPkg?.reason, '@tensorflow/tfjs-node is not installed');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a missing dependency inside an installed package counts as broken, not absent', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'loralab-backend-'));
  try {
    const pkg = path.join(root, 'node_modules', '@tensorflow', 'tfjs-node');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', main: 'index.js' }));
    writeFileSync(path.join(pkg, 'index.js'), "require('./lib/napi-v8/tfjs_binding.node');\n");
    const s = await selectBackend({ resolveFrom: root });
    assert.equal(s.backend, 'wasm');
    const node = s.fallbacks.find((f) => f.package === '@tensorflow/tfjs-node');
    assert.match(node?.reason ?? '', /^@tensorflow\/tfjs-node is installed but failed to load: Cannot find module '.*tfjs_binding\.node'/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

// The webgpu tests take the real path where the optional packages are installed
// and Dawn can reach an adapter (here: Mesa's llvmpipe through EGL, which needs
// EGL_PLATFORM=surfaceless without a display), and otherwise check the reason.

test('webgpu by name runs on the adapter and names it; auto passes a software adapter over', async () => {
  process.env.EGL_PLATFORM ??= 'surfaceless';
  const reachable = dawnBackendOrder().some((b) => preflight(b) === null);
  if (!webgpuPackagesInstalled() || !reachable) {
    await assert.rejects(selectBackend({ prefer: 'webgpu' }), (err: unknown) => {
      assert.ok(err instanceof BackendError);
      assert.match(err.message, webgpuPackagesInstalled() ? /Dawn's \w+ backend skipped: / : /package webgpu is not installed/);
      return true;
    });
    return;
  }
  const s = await selectBackend({ prefer: 'webgpu' });
  assert.equal(s.backend, 'webgpu');
  assert.equal(s.package, '@tensorflow/tfjs-backend-webgpu');
  assert.equal(s.wasmThreads, null);
  const adapter = s.webgpu;
  assert.ok(adapter, 'the selection names its adapter');
  assert.ok(dawnBackendOrder().includes(adapter.dawnBackend), adapter.dawnBackend);
  assert.ok(adapter.description !== '' || adapter.device !== '', JSON.stringify(adapter));
  assert.ok(adapter.limits.maxBufferSize > 0 && adapter.limits.maxStorageBufferBindingSize > 0 && adapter.limits.maxStorageBuffersPerShaderStage > 0);
  assert.equal(getTf().getBackend(), 'webgpu');
  // Every Dawn backend passed over before this one has its reason.
  for (const f of s.fallbacks) assert.match(f.reason, /^Dawn's \w+ backend (skipped|found no adapter)/);

  // The same product on webgpu and on wasm (float32; the summation order may differ).
  const tf = getTf();
  const a = Array.from({ length: 64 * 48 }, (_, i) => Math.sin(i));
  const b = Array.from({ length: 48 * 32 }, (_, i) => Math.cos(i));
  const product = async () => {
    const y = tf.tidy(() => tf.matMul(tf.tensor2d(a, [64, 48]), tf.tensor2d(b, [48, 32])));
    const v = Array.from(await y.data());
    y.dispose();
    return v;
  };
  const onGpu = await product();
  assert.equal((await selectBackend({ prefer: 'wasm' })).backend, 'wasm');
  const onWasm = await product();
  const maxDiff = onGpu.reduce((m, v, i) => Math.max(m, Math.abs(v - onWasm[i]!)), 0);
  assert.ok(maxDiff < 1e-4, `webgpu and wasm products differ by ${maxDiff}`);

  const auto = await selectBackend({ prefer: 'auto' });
  if (adapter.software) {
    assert.equal(auto.backend, 'wasm');
    const passed = auto.fallbacks.find((f) => f.backend === 'webgpu' && f.reason.startsWith('software adapter'));
    assert.match(passed?.reason ?? '', /^software adapter \w+ \(Dawn \w+\): a CPU emulation, slower than the wasm backend; choose webgpu by name/);
  } else {
    assert.equal(auto.backend, 'webgpu');
  }
});

test('webgpu without its packages: auto says why it was skipped, by name it is an error', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'loralab-backend-'));
  try {
    const s = await selectBackend({ prefer: 'auto', resolveFrom: root });
    assert.equal(s.backend, 'wasm');
    assert.deepEqual(
      s.fallbacks.filter((f) => f.backend === 'webgpu'),
      [{ backend: 'webgpu', package: 'webgpu', reason: 'package webgpu is not installed' }],
    );
    const report = doctorReport(s, '/tmp/registry.sqlite');
    assert.deepEqual(doctorReportSchema.parse(report), report);
    assert.equal(report.webgpu, null);
    await assert.rejects(
      selectBackend({ prefer: 'webgpu', resolveFrom: root }),
      /backend 'webgpu' was requested \(prefer: 'webgpu'\) but is not available: package webgpu is not installed\. Install the optional packages webgpu and @tensorflow\/tfjs-backend-webgpu/,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
