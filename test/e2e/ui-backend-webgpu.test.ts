// The header's backend badge on webgpu, through `loralab ui` and Debian's
// Chromium: with the optional packages it names the adapter (Mesa's llvmpipe
// here, through headless EGL) and calls a software rasterizer a CPU emulation;
// without them the server runs on wasm and the badge's details say why webgpu
// was skipped.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir, webgpuPackagesInstalled } from '../helpers';
import { openBrowser, startUi } from './harness';


test('the backend badge names the WebGPU adapter, or says why webgpu is not used', async () => {
  const dir = tempDir();
  const present = webgpuPackagesInstalled();
  const { url } = await startUi(join(dir, 'registry.sqlite'), { LORALAB_BACKEND: present ? 'webgpu' : '', EGL_PLATFORM: 'surfaceless' });
  const { page, pageErrors } = await openBrowser(dir);
  await page.goto(url);
  const badge = page.locator('[data-testid="backend"]');
  // The doctor report is asked of an engine process, so it takes a moment.
  await badge.waitFor({ timeout: 90_000 });
  const title = (await badge.getAttribute('title')) ?? '';
  if (!present) {
    assert.equal(await badge.getAttribute('data-backend'), 'wasm');
    assert.match(title, /package webgpu is not installed/);
  } else {
    assert.equal(await badge.getAttribute('data-backend'), 'webgpu');
    const adapter = (await page.locator('[data-testid="backend-adapter"]').textContent()) ?? '';
    assert.match(adapter, /^ on \S.*/);
    assert.match(title, /\(Dawn (vulkan|opengl|opengles|metal|d3d12)/);
    assert.match(title, /maxStorageBufferBindingSize \d+ MiB/);
    if (/llvmpipe|lavapipe|swiftshader/i.test(adapter)) {
      assert.match(adapter, /\(CPU emulation\)$/);
      assert.doesNotMatch((await badge.textContent()) ?? '', /\(GPU\)/);
    }
  }
  assert.deepEqual(pageErrors, []);
});
