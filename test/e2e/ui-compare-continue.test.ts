// End to end on two finished runs of the bundled model (trained with `loralab train`
// side by side): the runs table sorts, searches, tags and filters; two runs are
// compared (only the differing config keys, the summary, the CSV download and a
// chart as PNG); a new run continues from a checkpoint through New run and both runs
// show the lineage; a run is deleted, files and all, after a confirmation; the pages
// hold at 700 px wide.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openRegistry } from '../../src/main/registry/index';
import { tempDir } from '../helpers';
import { openBrowser, runStatus, startUi, trainFromCli, until, writeTinyConfig } from './harness';

// Made before the test, so it is removed after the browser that writes into it has closed.
const dir = tempDir();

test('compare two finished runs, continue one from a checkpoint, delete one', async () => {
  const registryPath = join(dir, 'registry.sqlite');
  const [a, b] = await Promise.all([
    trainFromCli(registryPath, writeTinyConfig(dir, { name: 'rank 8', steps: 6, rank: 8, evalEvery: 3, saveEvery: 3 })),
    trainFromCli(registryPath, writeTinyConfig(dir, { name: 'rank 4 slow lr', steps: 6, rank: 4, lr: 1e-3, evalEvery: 3, saveEvery: 3 })),
  ]);
  assert.deepEqual(await Promise.all([a.exited, b.exited]), [0, 0]);
  const { url } = await startUi(registryPath);
  const { page, pageErrors } = await openBrowser(dir);

  // Runs: both listed; search narrows; a tag added to the selection filters.
  await page.goto(url);
  await page.locator(`[data-testid="run-row-${a.runId}"]`).waitFor();
  await page.locator(`[data-testid="run-row-${b.runId}"]`).waitFor();
  await page.fill('[data-testid="runs-search"]', 'slow');
  await until('the search', async () => (await page.getAttribute('[data-testid="runs-table"]', 'data-count')) === '1');
  await page.fill('[data-testid="runs-search"]', '');
  // Sorting from the keyboard: the header is a button.
  await page.focus('[data-testid="sort-name"]');
  await page.keyboard.press('Enter');
  const firstRow = await page.getAttribute('[data-testid="runs-table"] tbody tr:first-child', 'data-testid');
  assert.equal(firstRow, `run-row-${b.runId}`, '"rank 4 slow lr" sorts before "rank 8"');
  await page.check(`[data-testid="select-${a.runId}"]`);
  await page.fill('[data-testid="tag-selected-input"]', 'baseline');
  await page.click('[data-testid="tag-selected"]');
  await until('the tag option', async () => (await page.locator('[data-testid="runs-tag-filter"] option[value="baseline"]').count()) === 1);
  await page.selectOption('[data-testid="runs-tag-filter"]', 'baseline');
  await until('the tag filter', async () => (await page.getAttribute('[data-testid="runs-table"]', 'data-count')) === '1');
  await page.selectOption('[data-testid="runs-tag-filter"]', '');

  // Compare: select both, the differing keys only, the summary, the CSV.
  await page.check(`[data-testid="select-${b.runId}"]`);
  await page.click('[data-testid="compare-selected"]');
  await page.waitForURL(new RegExp(`#/compare\\?runs=(${a.runId},${b.runId}|${b.runId},${a.runId})$`));
  const diff = page.locator('[data-testid="config-diff"]');
  await diff.waitFor();
  assert.deepEqual((await diff.getAttribute('data-keys'))!.split(','), ['lora.alpha', 'lora.r', 'name', 'train.lr']);
  const registry = openRegistry(registryPath, { readonly: true });
  const bestEval = (runId: number) => Math.min(...registry.metrics.forRun(runId, { names: ['eval_loss'] }).map((p) => p.value));
  const best = { [a.runId]: bestEval(a.runId), [b.runId]: bestEval(b.runId) };
  for (const id of [a.runId, b.runId]) {
    const cell = await page.textContent(`[data-testid="summary-${id}"] [data-col="best-eval"]`);
    assert.equal(cell, best[id]!.toFixed(4));
  }
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-csv"]')]);
  assert.match(download.suggestedFilename(), /^compare-runs-\d+-\d+\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
  assert.equal(csv.length, 3, 'a header and one row per run');
  const header = csv[0]!.split(',');
  assert.deepEqual(header.slice(-4), ['config.lora.alpha', 'config.lora.r', 'config.name', 'config.train.lr']);
  const rows = csv.slice(1).map((line) => Object.fromEntries(line.split(',').map((v, i) => [header[i], v])));
  const rowA = rows.find((r) => Number(r.run_id) === a.runId)!;
  assert.equal(rowA['config.lora.r'], '8');
  assert.equal(Number(rowA.best_eval_loss), best[a.runId]);
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="compare-loss-png"]')]);
  assert.equal(readFileSync((await png.path())!).subarray(1, 4).toString(), 'PNG');

  // Continue from the step-3 checkpoint of run A: New run opens prefilled, and starts.
  await page.goto(`${url}#/runs/${a.runId}`);
  await page.click('[data-testid="continue-from-3"]');
  await page.waitForURL(/#\/new\?init_from=.+&from_run=\d+$/);
  const start = page.locator('[data-testid="start-run"]');
  await until('a startable config', async () => (await start.isEnabled()) && (await page.locator('[data-testid="config-ok"]').count()) === 1, 30_000);
  await start.click();
  await page.waitForURL(/#\/runs\/\d+$/);
  const childId = Number(/#\/runs\/(\d+)$/.exec(page.url())![1]);
  assert.equal(await page.getAttribute('[data-testid="run-parent"]', 'href'), `#/runs/${a.runId}`);
  const child = registry.runs.get(childId)!;
  assert.equal(child.parentRunId, a.runId);
  assert.match(String(child.config.init_from), /checkpoints[\\/]step-000003$/);
  await until('the continued run to finish', async () => ['completed', 'failed'].includes((await runStatus(page)) ?? ''), 120_000);
  assert.equal(await runStatus(page), 'completed', (await page.textContent('[data-testid="run-page"]')) ?? '');
  await page.goto(`${url}#/runs/${a.runId}`);
  await page.locator(`[data-testid="run-child-${childId}"]`).waitFor();

  // Delete run B with its folder, after confirming.
  const folder = registry.checkpoints.forRun(b.runId)[0]!.path.replace(/[\\/]checkpoints[\\/].*$/, '');
  assert.ok(existsSync(folder));
  await page.goto(url);
  await page.check(`[data-testid="select-${b.runId}"]`);
  await page.click('[data-testid="delete-selected"]');
  await page.locator('[data-testid="delete-dialog"]').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="delete-dialog"]').waitFor({ state: 'hidden' });
  assert.ok(existsSync(folder), 'cancelling deletes nothing');
  await page.click('[data-testid="delete-selected"]');
  await page.click('[data-testid="delete-dialog-confirm"]');
  await page.locator(`[data-testid="run-row-${b.runId}"]`).waitFor({ state: 'detached' });
  assert.equal(registry.runs.get(b.runId), undefined);
  assert.equal(existsSync(folder), false, `${folder} is still on disk`);
  registry.close();

  // At 700 px wide nothing pushes the page sideways (wide tables scroll in their own box).
  await page.setViewportSize({ width: 700, height: 900 });
  for (const hash of ['#/', `#/runs/${a.runId}`, `#/compare?runs=${a.runId},${childId}`]) {
    await page.goto(`${url}${hash}`);
    await page.locator('main h1').first().waitFor();
    await page.waitForTimeout(300);
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(scroll <= client, `${hash} is ${scroll} px wide in a ${client} px window`);
  }
  assert.deepEqual(pageErrors, []);
});
