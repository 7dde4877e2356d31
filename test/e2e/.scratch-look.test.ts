import { test } from 'node:test';
import { openPage, openSession } from './tools-harness';

test('look', async () => {
  const s = await openSession();
  s.page.on('requestfailed', (r) => console.log('failed', r.url()));
  s.page.on('response', (r) => { if (r.status() >= 400) console.log('status', r.status(), r.url()); });
  s.page.on('console', (m) => console.log('console', m.type(), m.text()));
  for (const hash of (process.env.PAGES ?? '#/new,#/inspect,#/merge,#/playground').split(',')) {
    await openPage(s, hash);
    await s.page.waitForTimeout(Number(process.env.WAIT ?? 2500));
    await s.page.screenshot({ path: `/tmp/ui-tools/${hash.slice(2)}.png`, fullPage: true });
  }
  console.log(JSON.stringify(s.pageErrors));
});
