// Inspect in the browser, against `loralab ui`: the ChatGLM-6B preset with r = 8 on
// query_key_value reads 3,670,016 trainable parameters, and every number on the
// page (adapter bytes, LoRA / QLoRA / full memory) is the CLI's own
// (`loralab inspect --json`). The page holds at 700 px and in the dark theme.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { CLI, ROOT } from '../helpers';
import { openPage, openSession, screenshots } from './tools-harness';

test('inspect the ChatGLM-6B preset: the CLI numbers, the module table and each memory term with its formula', async () => {
  const s = await openSession();
  const { page } = s;
  await openPage(s, '#/inspect');
  await page.fill('[data-testid="inspect-model"]', 'chatglm-6b');
  await page.fill('[data-testid="inspect-rank"]', '8');
  await page.fill('[data-testid="inspect-targets"]', 'query_key_value');
  await page.waitForFunction(() => document.querySelector('[data-testid="inspect-trainable"]')?.textContent === '3,670,016', undefined, { timeout: 20_000 });
  await page.waitForSelector('[aria-busy="false"]');

  const cli = spawnSync(process.execPath, [CLI, 'inspect', 'chatglm-6b', '--rank', '8', '--targets', 'query_key_value', '--json'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  const report = JSON.parse(cli.stdout) as { trainableParams: number; modules: unknown[]; memory: { compare: Record<'lora' | 'qlora' | 'full', number> } };
  assert.equal(report.trainableParams, 3_670_016);
  for (const method of ['lora', 'qlora', 'full'] as const) {
    const shown = Number(await page.getAttribute(`[data-testid="memory-${method}-total"]`, 'data-bytes'));
    assert.equal(shown, report.memory.compare[method], `${method} memory on the page vs the CLI`);
  }
  assert.equal(await page.locator('[data-testid="module-table"] tbody tr').count(), report.modules.length);
  assert.equal(report.modules.length, 28, 'ChatGLM-6B has 28 query_key_value modules');
  const memoryText = (await page.textContent('[data-testid="memory-bars"]')) ?? '';
  assert.match(memoryText, /NF4 \+ double quant/);
  assert.match(memoryText, /Korthikanti et al\. 2022/);
  assert.match(memoryText, /2 moments × 4 B \(AdamW, fp32\)/);

  // Keyboard: the fields are reachable with Tab, in order.
  await page.focus('[data-testid="inspect-model"]');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'inspect-method');

  await screenshots(page, 'inspect');
  await page.setViewportSize({ width: 700, height: 900 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px at 700 px wide`);
  await screenshots(page, 'inspect-700');
  assert.deepEqual(s.pageErrors, []);
});
