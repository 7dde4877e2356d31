// New run, as a person uses it, against `loralab ui` and a real registry: a config
// typed into Monaco; an invalid value gets a marker from the JSON Schema (monaco-yaml)
// and from the zod schema, and Start is disabled with the reason; the form and the
// editor follow each other; the estimate follows the rank; the tokenized preview
// shades the masked prompt; a valid config starts a real LoRA run on the bundled model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { openRegistry } from '../../src/main/registry/index';
import { waitFor } from '../helpers';
import { openPage, openSession, screenshots, shortConfig } from './tools-harness';

test('a LoRA run started from a config typed into Monaco; an invalid value is marked and blocks the start', async () => {
  const s = await openSession();
  const { page } = s;
  // Monaco is a chunk of its own: the Runs page never fetches it, the New run page does.
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await openPage(s, '#/');
  await page.waitForSelector('[data-testid="new-run"]');
  await page.waitForFunction(() => !document.body.textContent?.includes('Loading runs…'));
  assert.ok(scripts.includes('/app.js'), scripts.join(' '));
  assert.deepEqual(scripts.filter((p) => /monaco/.test(p)), [], 'the Runs page fetched Monaco');
  await page.click('[data-testid="new-run"]');
  await page.waitForSelector('[data-testid="config-ok"]');
  await page.waitForSelector('.monaco-editor .view-lines');
  assert.equal(scripts.filter((p) => /^\/monaco-setup-\w+\.js$/.test(p)).length, 1, scripts.join(' '));

  // Paste a config into Monaco, then type an invalid rank at its line: r: -4 (the
  // JSON Schema says r > 0, and so does zod).
  const lines = stringify({ ...shortConfig('typed in monaco', 3), lora: { r: 8, alpha: 16, targets: ['q_proj', 'v_proj'] } }).split('\n');
  const rLine = lines.findIndex((l) => /^\s+r: 8$/.test(l)) + 1;
  await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(s.url).origin });
  await page.evaluate((t) => navigator.clipboard.writeText(t), lines.join('\n'));
  await page.click('.monaco-editor .view-lines');
  // Select-all only once the editor has the focus: on a loaded machine the click's
  // focus can come late, and the paste would then land inside the starter config.
  await page.waitForFunction(() => document.activeElement?.closest('.monaco-editor') != null);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
  // Monaco renders only the lines in view; the form shows the whole document took.
  await page.waitForFunction(() => (document.querySelector('[data-testid="field-steps"]') as HTMLInputElement | null)?.value === '3');
  await page.waitForSelector('[data-testid="config-ok"]'); // the pasted config replaced the starter whole
  // Go to the line through Monaco's quick input: wait for it to open (and close) so a
  // slow machine cannot type the line number into the document instead.
  await page.keyboard.press('ControlOrMeta+G');
  const goTo = page.locator('.quick-input-widget input');
  await goTo.waitFor({ state: 'visible' });
  await goTo.fill(`:${rLine}`); // Ctrl+G opens it with ":", the go-to-line prefix
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.insertText('-4'); // one input event: no suggestion widget opens between the two keys
  // Both keys in the document before the markers are read ("r: -" alone is a YAML syntax error, not the schema's).
  await page.waitForFunction(() => /\br:\s-4\b/.test((document.querySelector('.monaco-editor .view-lines') as HTMLElement | null)?.innerText ?? ''));
  await page.waitForFunction(() => !/Unexpected|syntax/i.test(document.querySelector('[data-testid="start-blocked"]')?.textContent ?? ''));
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="config-editor"]')?.getAttribute('data-config-markers')) > 0);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="config-editor"]')?.getAttribute('data-schema-markers')) > 0, undefined, {
    timeout: 20_000,
  });
  await page.waitForSelector('.monaco-editor .squiggly-error');
  assert.equal(await page.isDisabled('[data-testid="start-run"]'), true);
  assert.match((await page.textContent('[data-testid="start-blocked"]')) ?? '', /lora\.r: .*line \d+/);

  // Hover help on a key comes from the schema's descriptions.
  await page.locator('.monaco-editor .view-line span', { hasText: /^max_seq_len$/ }).first().hover();
  await page.waitForSelector('.monaco-hover :text("Tokens per example")', { timeout: 15_000 });
  await page.mouse.move(0, 0);

  // Completion offers the keys the schema allows that are not written yet.
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Control+Space');
  await page.waitForSelector('.monaco-editor .suggest-widget :text("init_from")', { timeout: 15_000 });
  await page.keyboard.press('Escape');

  // The form follows the editor...
  assert.equal(await page.inputValue('[data-testid="field-steps"]'), '3');
  assert.equal(await page.inputValue('[data-testid="field-rank"]'), '-4');
  // ...and the editor follows the form: fixing the rank there clears every marker.
  await page.fill('[data-testid="field-rank"]', '4');
  await page.waitForSelector('[data-testid="config-ok"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="config-editor"]')?.getAttribute('data-config-markers') === '0');
  await page.waitForFunction(() => document.querySelector('[data-testid="config-editor"]')?.getAttribute('data-schema-markers') === '0', undefined, { timeout: 20_000 });
  await page.waitForFunction(() => /r:\s*4/.test(document.querySelector('.monaco-editor .view-lines')?.textContent ?? ''));
  assert.equal(await page.isDisabled('[data-testid="start-run"]'), false);

  // The estimate follows the rank (the adapter is linear in r).
  const trainable = async () => Number(((await page.textContent('[data-testid="estimate-trainable"]')) ?? '').replace(/,/g, ''));
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="estimate-trainable"]')?.textContent ?? ''));
  await page.waitForFunction(() => !document.querySelector('[data-testid="run-estimate"] .is-stale'));
  const r4 = await trainable();
  await page.fill('[data-testid="field-rank"]', '16');
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="estimate-trainable"]')?.textContent?.replace(/,/g, '')) === n, r4 * 4);

  // The preview: the bundled tokenizer's tokens, the chat prompt masked, the answer learned.
  await page.waitForSelector('[data-testid="preview-example"]', { timeout: 30_000 });
  const first = page.locator('[data-testid="preview-example"]').first();
  assert.ok((await first.locator('[data-learned="false"]').count()) > 0, 'no masked prompt tokens');
  assert.ok((await first.locator('[data-learned="true"]').count()) > 0, 'no learned tokens');

  await screenshots(page, 'new-run');
  await page.setViewportSize({ width: 700, height: 900 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px at 700 px wide`);
  await screenshots(page, 'new-run-700');
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.click('[data-testid="start-run"]');
  await page.waitForURL(/#\/runs\/\d+$/);
  const runId = Number(/#\/runs\/(\d+)$/.exec(page.url())![1]);
  const registry = openRegistry(s.registry, { readonly: true });
  try {
    const run = await waitFor('the run to finish', () => {
      const r = registry.runs.get(runId);
      return r && !['queued', 'running'].includes(r.status) ? r : undefined;
    }, 120_000, 200);
    assert.equal(run.status, 'completed', run.error ?? '');
    assert.equal(run.method, 'lora');
    const config = run.config as { name: string; lora: { r: number }; train: { steps: number } };
    assert.equal(config.name, 'typed in monaco');
    assert.equal(config.lora.r, 16);
    assert.equal(config.train.steps, 3);
  } finally {
    registry.close();
  }

  // An ended run's config goes back into New run as it was, to change and start again.
  await page.click('[data-testid="run-again"]');
  await page.waitForSelector('[data-testid="copy-note"]');
  await page.waitForSelector('[data-testid="config-ok"]');
  assert.equal(await page.inputValue('[data-testid="field-rank"]'), '16');
  assert.equal(await page.inputValue('[data-testid="field-steps"]'), '3');
  assert.match((await page.textContent('[data-testid="copy-note"]')) ?? '', new RegExp(`run #${runId}\\b`));
  assert.deepEqual(s.pageErrors, []);
});
