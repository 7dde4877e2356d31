// The run page's hover readout against `loralab ui` and a real registry: at a step
// where eval loss was not measured (it is every 10 steps here) the readout says "—"
// and names the step its latest value is from, instead of showing that value as if
// it were measured at the hovered step. Moved from the keyboard, so the steps are exact.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openRegistry } from '../../src/main/registry/index';
import { openPage, openSession } from './tools-harness';

test('the loss chart readout shows eval loss only at steps where it was measured', async () => {
  const s = await openSession();
  const registry = openRegistry(s.registry);
  const run = registry.runs.create({ name: 'sparse-eval', method: 'lora', config: { model: 'm' } });
  registry.runs.markRunning(run.id, process.pid);
  const points = [];
  for (let step = 1; step <= 20; step++) points.push({ step, name: 'loss', value: 3 - step / 10, wallTime: 1_000 + step });
  for (const step of [0, 10, 20]) points.push({ step, name: 'eval_loss', value: 4 - step / 10, wallTime: 1_000 + step });
  registry.metrics.append(run.id, points);
  registry.runs.finish(run.id, 'completed');
  registry.close();

  const { page } = s;
  await openPage(s, `#/runs/${run.id}`);
  const frame = page.locator('[data-testid="chart-loss"] .chart-frame');
  await page.waitForSelector('[data-testid="chart-loss"][data-drawn-points="21"]');
  // The readout's parts (the step, then one per series) joined by " | ".
  const readout = () =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll('[data-testid="chart-loss-readout"] > span')).map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()).join(' | '),
    );
  await frame.focus();
  await page.keyboard.press('Home');
  assert.match(await readout(), /^step 0 \| train loss — \| eval loss 4$/);
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  // Step 5: training loss was measured there, eval loss last at step 0.
  assert.match(await readout(), /^step 5 \| train loss 2\.5 \| eval loss — \(last 4 at step 0\)$/);
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  assert.match(await readout(), /^step 10 \| train loss 2 \| eval loss 3$/);
  assert.deepEqual(s.pageErrors, []);
});
