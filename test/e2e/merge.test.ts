// Merge & export through the wizard, against `loralab ui` and a real registry: the
// adapter of a short LoRA run (trained by the CLI on the bundled model) is picked
// from the registry; the base model and the output folder follow from it; the
// merge runs in an engine process while the page stays responsive; the
// verification result is shown, and the merged model is recorded as an artifact
// of its run.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openRegistry } from '../../src/main/registry/index';
import { assertFullWidth, assertHint } from './form-checks';
import { BUNDLED_MODEL, openPage, openSession, screenshots, trainWithCli } from './tools-harness';

test('merge an adapter from the registry through the wizard and read the verification result', async () => {
  const s = await openSession();
  const runId = trainWithCli(s, 'to-merge', 3);
  const { page } = s;
  await openPage(s, '#/merge');
  // A fresh wizard: the CLI's default data type, and what is missing said as a to-do, not an error.
  await page.waitForSelector('[data-testid="merge-missing"]');
  assert.equal(await page.inputValue('[data-testid="merge-dtype"]'), 'float32');
  await assertHint(page, 'merge-missing', 'todo', /Add at least one adapter/);
  // Tried with nothing chosen (the button says it is unavailable, but takes the key): now it is an error.
  await page.focus('[data-testid="merge-start"]');
  await page.keyboard.press('Enter');
  await assertHint(page, 'merge-missing', 'error', /Add at least one adapter/);
  const option = page.locator('[data-testid="merge-registry-adapter"] option', { hasText: `#${runId} to-merge` });
  await option.waitFor({ state: 'attached' });
  await page.selectOption('[data-testid="merge-registry-adapter"]', (await option.getAttribute('value'))!);
  await page.click('[data-testid="merge-add-registry"]');
  // The run's base model and an output folder beside the adapter are filled in.
  assert.equal(await page.inputValue('[data-testid="merge-base"]'), BUNDLED_MODEL);
  // The base model path takes the card's width, so a long path is not cut.
  await assertFullWidth(page, 'merge-base');
  const out = join(s.dir, 'merged-model');
  await page.fill('[data-testid="merge-out"]', out);
  await page.selectOption('[data-testid="merge-dtype"]', 'float32');
  await page.fill('[data-testid="merge-shard"]', '5MB');

  await page.click('[data-testid="merge-start"]');
  // The page stays usable while the engine merges: a field can still be edited.
  await page.waitForSelector('[data-testid="merge-progress"]');
  await page.fill('[data-testid="merge-shard"]', '5MB');
  await page.waitForSelector('[data-testid="merge-progress"][data-phase="done"]', { timeout: 120_000 });
  const verify = page.locator('[data-testid="merge-verify-result"]');
  assert.match((await verify.textContent()) ?? '', /^Verified: largest logit difference .* over \d+ sequences? \(/);
  assert.ok(Number(await verify.getAttribute('data-max-diff')) < 1e-3);
  assert.equal(await page.textContent('[data-testid="merge-out-path"]'), out);
  assert.ok(existsSync(join(out, 'config.json')));

  const registry = openRegistry(s.registry, { readonly: true });
  try {
    const merged = registry.artifacts.forRun(runId).find((a) => a.path === out);
    assert.ok(merged, 'the merged model is not recorded as an artifact of its run');
    assert.equal(merged.kind, 'merged-model');
  } finally {
    registry.close();
  }
  // In the browser "Show in folder" cannot open a file manager; it says so.
  await page.click('[data-testid="merge-show-in-folder"]');
  await page.waitForSelector(':text("cannot open folders")');

  await screenshots(page, 'merge');
  await page.setViewportSize({ width: 700, height: 900 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px at 700 px wide`);
  assert.deepEqual(s.pageErrors, []);
});
