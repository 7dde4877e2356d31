// `loralab doctor --backend webgpu` through the real CLI and engine process:
// with the optional packages (webgpu, @tensorflow/tfjs-backend-webgpu) it names
// the adapter Dawn gives (here Mesa's llvmpipe through headless EGL); in an
// install without them — a copy of LoRA Lab whose node_modules lacks just those
// two, as on a machine where the binding could not install — it says why.
// Run: npm run build && node --import tsx --test test/integration/doctor-webgpu.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CLI, ROOT, tempDir } from '../helpers';
import { doctorReportSchema } from '../../src/shared/ipc/schemas';

const OPTIONAL = ['webgpu', '@tensorflow/tfjs-backend-webgpu'];
// EGL without a display: Mesa's surfaceless platform (what CI and a headless server need).
const HEADLESS = { EGL_PLATFORM: 'surfaceless', LORALAB_BACKEND: '' };

function doctor(cli: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [cli, 'doctor', ...args, '--registry', join(tempDir(), 'r.sqlite')], {
    env: { ...process.env, ...HEADLESS, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

function installed(): boolean {
  const req = createRequire(join(ROOT, 'noop.js'));
  return OPTIONAL.every((pkg) => {
    try {
      req.resolve(pkg);
      return true;
    } catch {
      return false;
    }
  });
}

test('doctor --json --backend webgpu names the adapter, or says the packages are missing', () => {
  const r = doctor(CLI, ['--json', '--backend', 'webgpu']);
  if (!installed()) {
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /backend 'webgpu' was requested .* package webgpu is not installed/);
    return;
  }
  assert.equal(r.status, 0, r.stderr);
  const report = doctorReportSchema.parse(JSON.parse(r.stdout));
  assert.equal(report.backend, 'webgpu');
  const adapter = report.webgpu;
  assert.ok(adapter, r.stdout);
  assert.ok(['vulkan', 'opengl', 'opengles', 'metal', 'd3d12'].includes(adapter.dawnBackend), adapter.dawnBackend);
  assert.ok(adapter.description.length > 0 || adapter.device.length > 0, JSON.stringify(adapter));
  assert.ok(adapter.limits.maxBufferSize >= adapter.limits.maxStorageBufferBindingSize && adapter.limits.maxStorageBufferBindingSize > 0);
  assert.ok(adapter.limits.maxStorageBuffersPerShaderStage >= 4);
  // A software rasterizer is no GPU: the report does not claim one.
  assert.equal(report.gpu.available, !adapter.software);
  if (adapter.software) assert.match(`${adapter.name} ${adapter.device}`, /llvmpipe|lavapipe|swiftshader/i);

  const text = doctor(CLI, ['--backend', 'webgpu']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^backend\s+webgpu$/m);
  assert.match(text.stdout, new RegExp(`^adapter\\s+.*\\(Dawn ${adapter.dawnBackend}`, 'm'));
  assert.match(text.stdout, /^limits\s+maxBufferSize \d+ MiB, maxStorageBufferBindingSize \d+ MiB, maxStorageBuffersPerShaderStage \d+$/m);
});

/** A copy of LoRA Lab (package.json, bin, the two bundles) whose node_modules links every package but the optional webgpu pair. */
function installWithout(optional: string[]): string {
  const root = tempDir('loralab-no-webgpu-');
  copyFileSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  mkdirSync(join(root, 'bin'));
  copyFileSync(join(ROOT, 'bin', 'loralab.mjs'), join(root, 'bin', 'loralab.mjs'));
  mkdirSync(join(root, 'dist'));
  for (const f of ['cli.cjs', 'engine.cjs']) copyFileSync(join(ROOT, 'dist', f), join(root, 'dist', f));
  const modules = join(root, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry.startsWith('.')) continue;
    if (!entry.startsWith('@')) {
      if (!optional.includes(entry)) symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry));
      continue;
    }
    mkdirSync(join(modules, entry));
    for (const sub of readdirSync(join(ROOT, 'node_modules', entry))) {
      if (!optional.includes(`${entry}/${sub}`)) symlinkSync(join(ROOT, 'node_modules', entry, sub), join(modules, entry, sub));
    }
  }
  return join(root, 'bin', 'loralab.mjs');
}

test('an install without the optional packages: auto says why webgpu was skipped, by name it is refused', () => {
  const cli = installWithout(OPTIONAL);
  const auto = doctor(cli, ['--json']);
  assert.equal(auto.status, 0, auto.stderr);
  const report = doctorReportSchema.parse(JSON.parse(auto.stdout));
  assert.equal(report.backend, 'wasm');
  assert.equal(report.webgpu, null);
  assert.deepEqual(
    report.fallbacks.filter((f) => f.backend === 'webgpu'),
    [{ backend: 'webgpu', package: 'webgpu', reason: 'package webgpu is not installed' }],
  );
  const named = doctor(cli, ['--json', '--backend', 'webgpu']);
  assert.notEqual(named.status, 0);
  assert.match(named.stderr, /backend 'webgpu' was requested \(prefer: 'webgpu'\) but is not available: package webgpu is not installed/);

  // The binding present but not tfjs' backend for it: that one is named. On an
  // install made without the optional packages (npm ci --omit=optional) there is
  // no binding to keep, and the install itself is the case above: check that.
  if (!existsSync(join(ROOT, 'node_modules', 'webgpu'))) {
    const real = doctorReportSchema.parse(JSON.parse(doctor(CLI, ['--json']).stdout));
    assert.deepEqual(
      real.fallbacks.filter((f) => f.backend === 'webgpu'),
      [{ backend: 'webgpu', package: 'webgpu', reason: 'package webgpu is not installed' }],
    );
    return;
  }
  const half = doctor(installWithout(['@tensorflow/tfjs-backend-webgpu']), ['--json']);
  assert.equal(half.status, 0, half.stderr);
  assert.deepEqual(
    doctorReportSchema.parse(JSON.parse(half.stdout)).fallbacks.filter((f) => f.backend === 'webgpu'),
    [{ backend: 'webgpu', package: '@tensorflow/tfjs-backend-webgpu', reason: 'package @tensorflow/tfjs-backend-webgpu is not installed' }],
  );
});
