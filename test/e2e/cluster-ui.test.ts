// End to end through the workbench: a local LoRA run (trained with `loralab train`)
// is handed to a cluster from its Run page ("Run on a cluster…"), the committed
// fixture stands in for what the job wrote there, the Runs page imports it
// ("Import…"), and Compare shows the cluster run beside the local one.
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { openRegistry } from '../../src/main/registry/index';
import { ROOT, tempDir } from '../helpers';
import { openBrowser, startUi, trainFromCli, until } from './harness';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'job-output');

test('Run on a cluster… writes the job; Import… records its output; Compare shows it beside the local run', async () => {
  const dir = tempDir();
  const registryPath = join(dir, 'registry.sqlite');
  const local = await trainFromCli(registryPath, join(FIXTURE, 'config.json'));
  assert.equal(await local.exited, 0);
  const { url } = await startUi(registryPath);
  const { page, pageErrors } = await openBrowser(dir);

  // Run page → Run on a cluster…: 2 GPUs, ZeRO-2.
  await page.goto(`${url}#/runs/${local.runId}`);
  await page.click('[data-testid="cluster-export-open"]');
  const job = join(dir, 'job');
  await page.fill('[data-testid="cluster-export-out"]', job);
  await page.fill('[data-testid="cluster-export-gpus"]', '2');
  await page.selectOption('[data-testid="cluster-export-strategy"]', 'deepspeed-zero2');
  await page.click('[data-testid="cluster-export-submit"]');
  const written = page.locator('[data-testid="cluster-export-result"]');
  await written.waitFor();
  assert.match((await written.textContent())!, new RegExp(`loralab import-job ${job.replace(/[/.]/g, '\\$&')}`));
  const acc = parseYaml(readFileSync(join(job, 'accelerate_config.yaml'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual([acc.num_processes, acc.distributed_type], [2, 'DEEPSPEED']);
  assert.equal(JSON.parse(readFileSync(join(job, 'job.json'), 'utf8')).sourceRunId, local.runId);
  await page.click('[data-testid="cluster-export-done"]');

  // The job ran on the cluster; its output comes back. Runs → Import…
  cpSync(join(FIXTURE, 'output'), join(job, 'output'), { recursive: true });
  await page.goto(url);
  await page.click('[data-testid="cluster-import-open"]');
  await page.fill('[data-testid="cluster-import-dir"]', job);
  await page.click('[data-testid="cluster-import-submit"]');
  const imported = page.locator('[data-testid="cluster-import-result"]');
  await imported.waitFor();
  const registry = openRegistry(registryPath, { readonly: true });
  const cluster = registry.runs.list().find((r) => r.parentRunId === local.runId)!;
  assert.ok(cluster, 'the imported run is recorded with the local run as its parent');
  assert.match((await imported.textContent())!, new RegExp(`run #${cluster.id} cluster fixture \\(cluster\\) \\(completed, 6 steps\\)`));
  // The runs table has it without a reload.
  await page.locator(`[data-testid="run-row-${cluster.id}"]`).waitFor();

  // Compare from the import dialog: both runs, their best eval losses, and the one config key that differs.
  await page.click('[data-testid="cluster-import-compare"]');
  await page.waitForURL(new RegExp(`#/compare\\?runs=${local.runId},${cluster.id}$`));
  await until('the comparison', async () => (await page.getAttribute('[data-testid="compare-page"]', 'data-ready')) === 'true');
  for (const id of [local.runId, cluster.id]) {
    const best = Math.min(...registry.metrics.forRun(id, { names: ['eval_loss'] }).map((p) => p.value));
    assert.equal(await page.textContent(`[data-testid="summary-${id}"] [data-col="best-eval"]`), best.toFixed(4));
  }
  const trainerEval = JSON.parse(readFileSync(join(FIXTURE, 'output', 'trainer_state.json'), 'utf8')).log_history.flatMap((e: { eval_loss?: number }) => (e.eval_loss === undefined ? [] : [e.eval_loss]));
  assert.equal(await page.textContent(`[data-testid="summary-${cluster.id}"] [data-col="best-eval"]`), Math.min(...trainerEval).toFixed(4));
  assert.deepEqual((await page.getAttribute('[data-testid="config-diff"]', 'data-keys'))!.split(','), ['name']);
  registry.close();
  assert.deepEqual(pageErrors, []);
});
