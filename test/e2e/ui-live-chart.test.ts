// End to end, as a person uses it: `loralab ui` (the real CLI and server), Debian's
// Chromium driven by Playwright. Start a run from the UI, watch the loss chart
// update while it runs, reload mid-run and see the whole curve again (from the
// registry) and still updating, then save a screenshot of the chart.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { chromium, type Page } from 'playwright-core';
import { openRegistry } from '../../src/main/registry/index';
import { brokenGpuPackage, CLI, ROOT, tempDir } from '../helpers';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

function startUi(registry: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'ui', '--port', '0', '--registry', registry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  after(() => {
    child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`loralab ui exited with ${code} before printing its URL`)));
  });
}

const points = async (page: Page) => Number(await page.getAttribute('[data-testid="loss-chart"]', 'data-points'));
const status = async (page: Page) => (await page.textContent('[data-testid="run-status"]'))?.trim();

async function waitForMorePoints(page: Page, than: number, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await points(page);
    if (n > than) return n;
    if (Date.now() > deadline) throw new Error(`chart stayed at ${n} points (wanted more than ${than})`);
    await page.waitForTimeout(100);
  }
}

test('a run started from the UI shows a live loss chart that survives a reload', async () => {
  const dir = tempDir();
  const registryPath = join(dir, 'registry.sqlite');
  // The server's machine has a GPU package that fails to load: the UI must say so.
  const { url } = await startUi(registryPath, { LORALAB_BACKEND: '', NODE_PATH: brokenGpuPackage() });
  const context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
  });
  after(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  await page.goto(url);
  const warning = page.locator('[data-testid="backend-warning"]');
  await warning.waitFor();
  assert.match((await warning.textContent()) ?? '', /tfjs-node-gpu is installed but failed to load: libcudnn\.so\.8.*using wasm instead/);
  await page.click('[data-testid="new-run"]');
  await page.waitForURL(/#\/runs\/\d+$/);
  const runId = Number(/#\/runs\/(\d+)$/.exec(page.url())![1]);

  // The chart updates at least twice while the run is running.
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent?.trim() === 'running');
  const first = await waitForMorePoints(page, 0);
  const second = await waitForMorePoints(page, first);
  const third = await waitForMorePoints(page, second);
  assert.equal(await status(page), 'running', 'the run ended before the chart was seen updating twice');

  // Reload mid-run: the whole curve so far comes back, and it keeps updating.
  await page.reload();
  const afterReload = await waitForMorePoints(page, 0);
  assert.ok(afterReload >= third, `after reload the chart had ${afterReload} points, before ${third}`);
  const stillRunning = (await status(page)) === 'running';
  if (stillRunning) await waitForMorePoints(page, afterReload);

  await page.waitForFunction(
    () => document.querySelector('[data-testid="run-status"]')?.textContent?.trim() === 'completed',
    undefined,
    { timeout: 180_000 },
  );
  const registry = openRegistry(registryPath, { readonly: true });
  const recorded = registry.metrics.forRun(runId, { names: ['loss'] }).length;
  registry.close();
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="loss-chart"]')?.getAttribute('data-points')) === n,
    recorded,
  );

  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  await page.locator('[data-testid="loss-chart"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ROOT, 'test-results', 'e2e-live-chart.png'), fullPage: true });
  assert.ok(stillRunning || afterReload === recorded);
  assert.deepEqual(pageErrors, []);
});
