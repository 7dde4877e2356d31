// End to end: an AdaLoRA run of the bundled model (trained by `loralab train`) shows
// on its run page the rank each adapted matrix keeps at every masking step, read
// from the registry with runs.ranks, next to the method's own metrics.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openRegistry } from '../../src/main/registry/index';
import { tempDir } from '../helpers';
import { openBrowser, startUi, trainFromCli, until, writeTinyConfig } from './harness';

// Made before the test, so it is removed after the browser that writes into it has closed.
const dir = tempDir();

test('the AdaLoRA rank heatmap shows every adapted matrix at every masking step', async () => {
  const registryPath = join(dir, 'registry.sqlite');
  const { runId, exited } = await trainFromCli(registryPath, writeTinyConfig(dir, { name: 'adalora', method: 'adalora', steps: 8, rank: 6 }));
  assert.equal(await exited, 0);
  const registry = openRegistry(registryPath, { readonly: true });
  const ranks = registry.ranks.forRun(runId);
  registry.close();
  const modules = new Set(ranks.map((r) => r.module)).size;
  const steps = new Set(ranks.map((r) => r.step)).size;
  assert.ok(modules > 0 && steps > 0, 'the engine recorded ranks');

  const { url } = await startUi(registryPath);
  const { page, pageErrors } = await openBrowser(dir);
  await page.goto(`${url}#/runs/${runId}`);
  const heatmap = page.locator('[data-testid="rank-heatmap"]');
  await until('the heatmap', async () => Number(await heatmap.getAttribute('data-modules')) === modules);
  assert.equal(Number(await heatmap.getAttribute('data-steps')), steps);
  // From the keyboard: the arrow keys walk the cells and the readout names one.
  await heatmap.locator('canvas').focus();
  await page.keyboard.press('ArrowUp');
  assert.match((await page.textContent('[data-testid="rank-readout"]')) ?? '', /at step \d+: rank \d+/);
  // The method's own metrics have their charts.
  await page.locator('[data-testid="chart-adalora_budget"]').waitFor();
  assert.deepEqual(pageErrors, []);
});
