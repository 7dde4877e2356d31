#!/usr/bin/env -S npx tsx
// Screenshots of every screen in light and dark, for the README:
//   npx tsx scripts/screenshots.ts [--out docs/screenshots] [--width 1280] [--keep <folder>]
// Trains three small real runs on the bundled model (`loralab train`, a few dozen
// steps each: two LoRA runs to compare, one merged, and an AdaLoRA run) and the
// demo's run (`loralab demo`, whose adapter the playground shot asks a held-out
// question of, beside the base model), opens
// `loralab ui` on that registry in Debian's Chromium (playwright-core) and saves
// <out>/<screen>-<light|dark>.png for each route, with the system colour scheme
// emulated (page.emulateMedia). Needs `npm run build` first. Takes a few minutes.
// --keep <folder> keeps the trained registry there and reuses it on the next call.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS, spawnUi, writeTinyConfig } from '../test/e2e/harness';

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'bin', 'loralab.mjs');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`loralab ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout.trim();
}

interface Shot {
  name: string;
  hash: string;
  /** What must be on the page before the picture is taken. */
  ready: string;
  prepare?: (page: Page) => Promise<void>;
}

async function main(): Promise<void> {
  const out = resolve(ROOT, arg('out', 'docs/screenshots'));
  const width = Number(arg('width', '1280'));
  mkdirSync(out, { recursive: true });
  const keep = process.argv.includes('--keep') ? resolve(arg('keep', '')) : null;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'loralab-shots-'));
  mkdirSync(dir, { recursive: true });
  const registry = join(dir, 'registry.sqlite');
  try {
    let first = 1;
    let second = 2;
    const demoAdapter = join(dir, 'demo-adapter.txt');
    if (!existsSync(registry)) {
      console.log('training the example runs…');
      first = Number(cli(['train', writeTinyConfig(dir, { name: 'numbers r8', steps: 24, rank: 8, evalEvery: 6, saveEvery: 12 }), '--registry', registry]));
      second = Number(cli(['train', writeTinyConfig(dir, { name: 'numbers r4 lr1e-3', steps: 24, rank: 4, lr: 1e-3, evalEvery: 6, saveEvery: 12 }), '--registry', registry]));
      cli(['train', writeTinyConfig(dir, { name: 'numbers adalora r8→4', steps: 16, rank: 8, method: 'adalora', evalEvery: 8 }), '--registry', registry]);
      const show = JSON.parse(cli(['runs', 'show', String(first), '--json', '--registry', registry])) as { artifacts?: { kind: string; path: string }[] };
      const adapterDir = show.artifacts?.find((a) => a.kind === 'adapter')?.path;
      if (adapterDir) cli(['merge', '--base', join(ROOT, 'resources/models/lab-tiny-llama'), '--adapter', adapterDir, '--out', join(dir, 'merged'), '--registry', registry]);
      console.log('training the demo run…');
      writeFileSync(demoAdapter, (JSON.parse(cli(['demo', '--json', '--registry', registry])) as { adapterDir: string }).adapterDir);
    }
    const adapterForPlayground = readFileSync(demoAdapter, 'utf8');

    const { child, url } = await spawnUi(registry);
    const token = new URL(url).search;
    const base = url.replace(/\/\?token=.*$/, '/');
    const shots: Shot[] = [
      { name: 'runs', hash: '#/', ready: '[data-testid="runs-table"] tbody tr[data-status]', prepare: async (p) => void (await p.click(`[data-testid="select-${first}"]`), await p.click(`[data-testid="select-${second}"]`)) },
      { name: 'run', hash: `#/runs/${first}`, ready: '[data-testid="chart-loss"][data-drawn-points]:not([data-drawn-points="0"])' },
      { name: 'run-adalora', hash: '#/runs/3', ready: '[data-testid="rank-heatmap"]:not([data-steps="0"])' },
      { name: 'compare', hash: `#/compare?runs=${first},${second}`, ready: '[data-testid="config-diff"]' },
      { name: 'new-run', hash: '#/new', ready: '.monaco-editor' },
      { name: 'inspect', hash: '#/inspect', ready: '[data-testid="inspect-page"] table' },
      { name: 'merge', hash: '#/merge', ready: '[data-testid="merge-page"]' },
      { name: 'playground', hash: '#/playground', ready: '[data-testid="playground-page"]', prepare: askHeldOut(adapterForPlayground) },
    ];
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    try {
      for (const theme of ['light', 'dark'] as const) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: theme });
        const page = await context.newPage();
        await page.emulateMedia({ colorScheme: theme });
        await page.goto(`${base}${token}`);
        // The header's backend badge comes from an engine process's doctor report; wait for it once.
        await page.waitForSelector('[data-testid="backend"]', { timeout: 90_000 }).catch(() => console.warn('the backend badge did not appear'));
        for (const shot of shots) {
          await page.goto(`${base}${token}${shot.hash}`);
          await page.waitForSelector(shot.ready, { timeout: 30_000 }).catch(() => console.warn(`${shot.name}: "${shot.ready}" did not appear; taking the picture anyway`));
          await shot.prepare?.(page);
          await page.waitForTimeout(600); // charts and the editor settle
          const file = join(out, `${shot.name}-${theme}.png`);
          await page.screenshot({ path: file, fullPage: true });
          console.log(file);
        }
        await context.close();
      }
    } finally {
      await browser.close();
      child.kill('SIGTERM');
    }
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** The playground with the demo's adapter, asked a held-out prompt (7227 is in eval.jsonl, not train.jsonl): base and adapter answers side by side. */
const askHeldOut = (adapter: string) => async (page: Page): Promise<void> => {
  await page.fill('[data-testid="play-adapter"]', adapter);
  await page.fill('[data-testid="play-prompt"]', 'Write 7227 in words.');
  await page.fill('[data-testid="play-maxNewTokens"]', '24');
  await page.click('[data-testid="play-generate"]');
  for (const pane of ['play-out-base', 'play-out-adapter']) {
    await page.waitForSelector(`[data-testid="${pane}"][data-phase="done"]`, { timeout: 60_000 }).catch(() => console.warn(`playground: ${pane} did not finish`));
  }
};

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
