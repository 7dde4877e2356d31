import { test } from 'node:test';
import { openPage, openSession } from './tools-harness';

test('paste', async () => {
  const s = await openSession();
  const { page } = s;
  await openPage(s, '#/new');
  await page.waitForSelector('.monaco-editor .view-lines');
  await page.waitForSelector('[data-testid="config-ok"]');
  await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(s.url).origin });
  console.log(await page.evaluate(() => navigator.clipboard.writeText('name: x\nmodel: y\n').then(() => 'ok', (e) => String(e))));
  await page.click('.monaco-editor .view-lines');
  console.log(await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200)));
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
  await page.waitForTimeout(1000);
  console.log((await page.textContent('.monaco-editor .view-lines'))?.slice(0, 200));
  // synthetic paste
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.setData('text/plain', 'name: synthetic\nmodel: z\n');
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForTimeout(1000);
  console.log((await page.textContent('.monaco-editor .view-lines'))?.slice(0, 200));
});
