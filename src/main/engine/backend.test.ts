// Tests for the backend choice, on this machine's real packages (no tfjs-node
// installed, tfjs-backend-wasm installed) and on a fake broken tfjs-node-gpu.
// Backends register globally, so the tests switch backends in one process.
// Run: node --import tsx --test src/main/engine/backend.test.ts
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { doctorReportSchema } from '../../shared/ipc/schemas';
import { BackendError, doctorReport, getTf, selectBackend } from './backend';

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
  assert.deepEqual(s.fallbacks, [
    { backend: 'tensorflow', package: '@tensorflow/tfjs-node-gpu', reason: '@tensorflow/tfjs-node-gpu is not installed' },
    { backend: 'tensorflow', package: '@tensorflow/tfjs-node', reason: '@tensorflow/tfjs-node is not installed' },
  ]);
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
    await assert.rejects(selectBackend(), /LORALAB_BACKEND must be one of tensorflow, wasm, cpu, auto; got 'webgl'/);
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
