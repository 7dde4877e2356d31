// End to end, as a researcher uses it: runs started from a terminal (`loralab train`
// in a child process) on the bundled model, watched and stopped in `loralab ui`
// through Debian's Chromium. One server and one browser for the file:
//  1. every chart of the run page draws live, eval loss joins the loss chart, the
//     progress bar shows an ETA although the UI server never saw the run's
//     progress events, the hover readout, log scale and keyboard zoom work, and a
//     reload mid-run brings the whole curve back;
//  2. Stop in the UI stops a run that the CLI started (the CLI process exits with
//     the run recorded as stopped), and Resume continues it from its checkpoint.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openRegistry } from '../../src/main/registry/index';
import { brokenGpuPackage, ROOT, tempDir } from '../helpers';
import { chartState, openBrowser, runStatus, startUi, trainFromCli, until, writeTinyConfig } from './harness';

const CHARTS = ['chart-loss', 'chart-lr', 'chart-grad-norm', 'chart-tokens-per-second'];

const dir = tempDir();
const registryPath = join(dir, 'registry.sqlite');

test('a CLI run is watched live on every chart, survives a reload, and the UI says why the GPU is not used', async () => {
  // The server's machine has a GPU package that fails to load: the UI must say so.
  const { url } = await startUi(registryPath, { LORALAB_BACKEND: '', NODE_PATH: brokenGpuPackage() });
  const { page, pageErrors } = await openBrowser(dir);
  const { runId, exited } = await trainFromCli(registryPath, writeTinyConfig(dir, { name: 'live', steps: 14, evalEvery: 4, saveEvery: 7 }));

  await page.goto(`${url}#/runs/${runId}`);
  // Every chart draws its first points while the run is running, then more.
  await until('the run to be running', async () => (await runStatus(page)) === 'running', 90_000);
  for (const id of CHARTS) await until(`${id} to draw`, async () => (await chartState(page, id)).drawn > 0, 90_000);
  const first = (await chartState(page, 'chart-loss')).points;
  const second = await until('a second update', async () => ((await chartState(page, 'chart-loss')).points > first ? (await chartState(page, 'chart-loss')).points : 0), 60_000);
  await until('a third update', async () => (await chartState(page, 'chart-loss')).points > second, 60_000);
  assert.equal(await runStatus(page), 'running', 'the run ended before the charts were seen updating twice');
  // The ETA comes from the stored curve: this server's supervisor never ran the run.
  const eta = await until('an ETA', async () => {
    const text = (await page.textContent('[data-testid="run-eta"]'))?.trim();
    return text && text !== '—' ? text : null;
  });
  assert.match(eta, /^\d+(s|m \d\ds|h \d\dm)$/);

  // Eval loss (every 4 steps) is the loss chart's second series.
  // (At the latest step eval loss may not have been measured: it then reads "— (last … at step N)".)
  await until('eval loss', async () => /eval loss (— \(last )?\d+\.\d{4}/.test((await page.textContent('[data-testid="chart-loss-readout"]')) ?? ''), 90_000);
  assert.equal((await chartState(page, 'chart-loss')).series, 'train loss,eval loss');

  // The readout follows the pointer: every series at the hovered step.
  const frame = page.locator('[data-testid="chart-loss"] .chart-frame');
  const box = (await frame.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.4);
  const readout = (await page.textContent('[data-testid="chart-loss-readout"]')) ?? '';
  assert.match(readout, /step \d+.*train loss \d+\.\d{4}/);
  await page.mouse.move(0, 0);

  // Keyboard: focus the chart, + zooms (a reset button appears), 0 resets.
  await frame.focus();
  await page.keyboard.press('+');
  await page.locator('[data-testid="chart-loss-reset-zoom"]').waitFor();
  await page.keyboard.press('0');
  await page.locator('[data-testid="chart-loss-reset-zoom"]').waitFor({ state: 'detached' });

  // Log scale redraws every chart with its points.
  await page.check('[data-testid="chart-log"]');
  for (const id of CHARTS) assert.ok((await chartState(page, id)).drawn > 0, `${id} on a log scale`);

  // The doctor report (asked of an engine process, so it takes a moment) names the broken GPU package.
  const warning = page.locator('[data-testid="backend-warning"]');
  await warning.waitFor({ timeout: 90_000 });
  assert.match((await warning.textContent()) ?? '', /tfjs-node-gpu is installed but failed to load: libcudnn\.so\.8.*using wasm instead/);

  // Reload mid-run: the whole curve so far comes back from the registry.
  const before = (await chartState(page, 'chart-loss')).points;
  await page.reload();
  const afterReload = await until('the curve after reload', async () => (await chartState(page, 'chart-loss')).points);
  assert.ok(afterReload >= before, `after reload the chart had ${afterReload} points, before ${before}`);

  assert.equal(await exited, 0, 'loralab train exits 0 when its run completes');
  await until('completed', async () => (await runStatus(page)) === 'completed', 30_000);
  const registry = openRegistry(registryPath, { readonly: true });
  const recorded = registry.metrics.forRun(runId, { names: ['loss'] }).length;
  registry.close();
  assert.equal(recorded, 14);
  await until('every point drawn', async () => {
    const s = await chartState(page, 'chart-loss');
    return s.points === recorded && s.drawn >= recorded; // drawn: the x values of both series (eval also at step 0)
  }, 15_000);
  // The checkpoints (steps 7 and 14) and the adapter are listed, each with its folder.
  await page.locator('[data-testid="checkpoint-7"]').waitFor();
  await page.locator('[data-testid="checkpoint-14"]').waitFor();
  await page.locator('[data-testid="artifacts"] [data-kind="adapter"]').waitFor();

  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  await page.screenshot({ path: join(ROOT, 'test-results', 'e2e-live-run.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test('Stop in the UI stops a run that `loralab train` started in another process; Resume (on the newest checkpoint only) continues it', async () => {
  const { url } = await startUi(registryPath);
  const { page, pageErrors } = await openBrowser(join(dir, 'stop'));
  const { runId, exited } = await trainFromCli(registryPath, writeTinyConfig(dir, { name: 'long', steps: 500, saveEvery: 2 }));
  await page.goto(`${url}#/runs/${runId}`);
  await until('the run to train past a checkpoint', async () => (await chartState(page, 'chart-loss')).drawn > 2, 90_000);
  await page.click('[data-testid="stop-run"]');
  await until('stopped', async () => (await runStatus(page)) === 'stopped', 60_000);
  assert.equal(await exited, 1, 'loralab train exits 1 when its run did not complete');
  const registry = openRegistry(registryPath, { readonly: true });
  const run = registry.runs.get(runId)!;
  const steps = registry.metrics.forRun(runId, { names: ['loss'] }).length;
  const checkpoints = registry.checkpoints.forRun(runId).map((c) => c.step);
  registry.close();
  assert.equal(run.status, 'stopped');
  assert.ok(steps < 500, `the run went on to step ${steps}`);
  // Resume continues this run from its newest checkpoint only (from an older one it would
  // overwrite what came after); every checkpoint offers "Continue from here", a new run.
  assert.ok(checkpoints.length >= 2, `checkpoints at ${checkpoints.join(', ')}`);
  const newest = Math.max(...checkpoints);
  await page.locator(`[data-testid="checkpoint-${newest}"]`).waitFor();
  for (const step of checkpoints) {
    assert.equal(await page.locator(`[data-testid="resume-from-${step}"]`).count(), step === newest ? 1 : 0, `Resume at step ${step}`);
    assert.equal(await page.locator(`[data-testid="continue-from-${step}"]`).count(), 1, `Continue from here at step ${step}`);
  }
  // The history says it stopped; a stop writes a checkpoint, so Resume continues the same run.
  assert.match((await page.textContent('[data-testid="run-history"]')) ?? '', /stopped/);
  await page.click('[data-testid="resume-run"]');
  await until('running again', async () => (await runStatus(page)) === 'running', 60_000);
  await until('steps after the resume', async () => (await chartState(page, 'chart-loss')).points > steps, 90_000);
  await page.click('[data-testid="stop-run"]');
  await until('stopped again', async () => (await runStatus(page)) === 'stopped', 60_000);
  assert.deepEqual(pageErrors, []);
});
