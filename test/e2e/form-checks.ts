// Checks the tool pages' e2e tests share about their forms: the start bar's
// "what is missing" hint (a to-do in the muted colour, or an error in the danger
// colour) and a path field that takes its row's width.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

/** The hint's tone, its text, and that its colour is the theme's colour for that tone. */
export async function assertHint(page: Page, testId: string, tone: 'todo' | 'error', text: RegExp): Promise<void> {
  await page.waitForSelector(`[data-testid="${testId}"][data-tone="${tone}"]`);
  const seen = await page.evaluate(
    ({ id, variable }) => {
      const el = document.querySelector(`[data-testid="${id}"]`)!;
      const probe = document.createElement('span');
      probe.style.color = `var(${variable})`;
      el.parentElement!.append(probe);
      const expected = getComputedStyle(probe).color;
      probe.remove();
      return { color: getComputedStyle(el).color, expected, text: el.textContent ?? '' };
    },
    { id: testId, variable: tone === 'todo' ? '--muted' : '--danger' },
  );
  assert.match(seen.text, text);
  assert.equal(seen.color, seen.expected, `${testId} (${tone}) is ${seen.color}, not the theme's ${seen.expected}`);
}

/** The input spans (nearly) its whole form row: only the Browse button, when there is one, sits beside it. */
export async function assertFullWidth(page: Page, testId: string): Promise<void> {
  const { input, row } = await page.evaluate((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`)!;
    return { input: el.getBoundingClientRect().width, row: el.closest('.tool-form')!.getBoundingClientRect().width };
  }, testId);
  assert.ok(input >= 0.8 * row, `${testId} is ${Math.round(input)} px wide in a ${Math.round(row)} px row`);
}
