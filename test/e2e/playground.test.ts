// The playground, against `loralab ui` and a real registry: one prompt through the
// bundled base model and through base + the adapter of a short LoRA run (trained by
// the CLI), side by side, the text streaming in token by token from two engine
// processes; with the model's chat template applied, then raw.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertFullWidth, assertHint } from './form-checks';
import { openPage, openSession, screenshots, trainWithCli } from './tools-harness';

interface Seen {
  streamed: boolean;
  text: string;
}

/** Polls a pane until its job is done; `streamed`: text was seen while the job still ran. */
async function follow(page: Page, pane: string, timeoutMs = 90_000): Promise<Seen> {
  const deadline = Date.now() + timeoutMs;
  let streamed = false;
  for (;;) {
    const { phase, text } = await page.evaluate((id) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      return { phase: el?.getAttribute('data-phase'), text: document.querySelector(`[data-testid="${id}-text"]`)?.textContent ?? '' };
    }, pane);
    if (phase === 'running' && text.length > 0) streamed = true;
    if (phase === 'done') return { streamed, text };
    if (phase === 'failed') throw new Error(`${pane} failed: ${await page.textContent(`[data-testid="${pane}"] [role="alert"]`)}`);
    if (Date.now() > deadline) throw new Error(`${pane} still ${phase} after ${timeoutMs} ms`);
    await page.waitForTimeout(15);
  }
}

test('base and base + adapter stream side by side, with the chat template and raw', async () => {
  const s = await openSession();
  const runId = trainWithCli(s, 'to-try', 3);
  const { page } = s;
  await openPage(s, '#/playground');
  // The newest adapter in the registry and its base model are preselected.
  await page.waitForFunction(() => (document.querySelector('[data-testid="play-adapter"]') as HTMLInputElement | null)?.value.endsWith('/adapter'));
  assert.match(await page.inputValue('[data-testid="play-adapter"]'), new RegExp(`/runs/${runId}/adapter$`));
  await assertFullWidth(page, 'play-model');
  // No prompt yet: a to-do until Generate is tried, then an error; gone once there is one.
  await assertHint(page, 'play-missing', 'todo', /Write a prompt/);
  await page.focus('[data-testid="play-generate"]'); // aria-disabled: it still takes the key, and says why
  await page.keyboard.press('Enter');
  await assertHint(page, 'play-missing', 'error', /Write a prompt/);
  await page.fill('[data-testid="play-prompt"]', 'Write 4478 in words.');
  await page.waitForSelector('[data-testid="play-missing"]', { state: 'detached' });
  await page.fill('[data-testid="play-maxNewTokens"]', '24');
  await page.fill('[data-testid="play-temperature"]', '0.8');
  await page.fill('[data-testid="play-seed"]', '7');

  await page.click('[data-testid="play-generate"]');
  const [base, tuned] = await Promise.all([follow(page, 'play-out-base'), follow(page, 'play-out-adapter')]);
  assert.ok(base.text.length > 0 && tuned.text.length > 0, 'no text generated');
  assert.ok(base.streamed && tuned.streamed, `text was not seen streaming (base ${base.streamed}, adapter ${tuned.streamed})`);
  // The chat template was applied: the model saw the template's turn markers.
  await page.click('[data-testid="play-out-base"] summary');
  assert.match((await page.textContent('[data-testid="play-out-base"] .rendered-prompt pre')) ?? '', /<\|im_start\|>user\nWrite 4478 in words\.<\|im_end\|>/);
  await screenshots(page, 'playground');

  // Raw mode: the prompt goes in exactly as written.
  await page.uncheck('[data-testid="play-chat"]');
  await page.click('[data-testid="play-generate"]');
  await Promise.all([follow(page, 'play-out-base'), follow(page, 'play-out-adapter')]);
  await page.click('[data-testid="play-out-base"] summary');
  const raw = (await page.textContent('[data-testid="play-out-base"] .rendered-prompt pre')) ?? '';
  assert.doesNotMatch(raw, /<\|im_start\|>/);
  assert.match(raw, /Write 4478 in words\./);

  await page.setViewportSize({ width: 700, height: 900 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px at 700 px wide`);
  assert.deepEqual(s.pageErrors, []);
});
