// The workbench's first load: how long a fresh browser tab on `loralab ui` takes
// from navigation until the Runs page shows its runs, and how many bytes of
// script it evaluated to get there; and, for the New run page, until Monaco's
// editor shows the config (the editor is loaded only there, as its own chunk:
// scripts/build.mjs splits the renderer bundle). Each load is a new browser
// context (no cache; the server also sends Cache-Control: no-store) in one
// headless Chromium, against one `loralab ui` on a registry of a few runs, and
// with --baseline against a second checkout's `loralab ui` too, interleaved.
// Run: npm run build && npx tsx bench/page-load.ts [--runs N] [--baseline DIR]   (performance is the global of Node and of the page alike)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { openRegistry } from '../src/main/registry/index';
import { runConfigSchema } from '../src/shared/config/run-config';
import { loadAverage, machineLines, mb, median, today, writeSection } from './report';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'loralab.mjs');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 10;

interface Load {
  ms: number;
  scriptBytes: number;
}

/** One load of `hash` in a fresh context: ms until `ready` holds, and the script bytes the page fetched. */
async function load(browser: Browser, url: string, hash: string, ready: () => boolean): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const t = performance.now();
    await page.goto(`${url}${hash}`);
    await page.waitForFunction(ready, undefined, { timeout: 60_000 });
    const ms = performance.now() - t;
    if (errors.length) throw new Error(`${hash}: ${errors.join('; ')}`);
    const scriptBytes = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((e) => e.name.split('?')[0]!.endsWith('.js'))
        .reduce((sum, e) => sum + (e as PerformanceResourceTiming).decodedBodySize, 0),
    );
    return { ms, scriptBytes };
  } finally {
    await context.close();
  }
}

async function startUi(cli: string, registry: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [cli, 'ui', '--registry', registry, '--backend', 'cpu'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  child.stdout.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: string) => {
      out += c;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`loralab ui exited with ${code} before printing its URL`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A registry with a few finished runs, so the Runs page draws a table rather than its empty state. */
function seedRegistry(file: string): void {
  const registry = openRegistry(file);
  try {
    for (let i = 0; i < 5; i++) {
      const config = runConfigSchema.parse({
        name: `run ${i}`,
        model: path.join(ROOT, 'resources/models/lab-tiny-llama'),
        method: 'lora',
        lora: { r: 8, alpha: 16, targets: ['q_proj', 'v_proj'] },
        data: { train: path.join(ROOT, 'resources/data/demo-numbers/train.jsonl') },
      }) as unknown as Record<string, unknown>;
      const run = registry.runs.create({ name: `run ${i}`, method: 'lora', config });
      registry.runs.markRunning(run.id, process.pid);
      registry.runs.finish(run.id, 'completed');
    }
  } finally {
    registry.close();
  }
}

/** `--baseline DIR`: another built LoRA Lab checkout (e.g. an older commit), measured interleaved with this one. */
const baselineArg = process.argv.indexOf('--baseline');
const BASELINE = baselineArg > 0 ? path.resolve(process.argv[baselineArg + 1]!) : null;

async function main(): Promise<void> {
  const loadAtStart = loadAverage();
  const dir = mkdtempSync(path.join(tmpdir(), 'loralab-page-load-'));
  const registry = path.join(dir, 'registry.sqlite');
  seedRegistry(registry);
  const builds = [{ name: 'this build', ...(await startUi(CLI, registry)) }];
  if (BASELINE) builds.push({ name: `baseline (${path.basename(BASELINE)})`, ...(await startUi(path.join(BASELINE, 'bin', 'loralab.mjs'), registry)) });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    const pages = [
      { what: 'Runs page', until: 'the run rows are drawn', hash: '#/', ready: () => document.querySelectorAll('[data-testid^="run-row-"]').length === 5 },
      {
        what: 'New run page',
        until: 'Monaco shows the config',
        hash: '#/new',
        ready: () => document.querySelector('.monaco-editor .view-lines')?.textContent?.includes('method') === true,
      },
    ];
    const cases = builds.flatMap((b) => pages.map((p) => ({ build: b, page: p, results: [] as Load[] })));
    for (const c of cases) await load(browser, c.build.url, c.page.hash, c.page.ready); // warm the OS page cache once
    // Interleaved, so a burst of other work on the machine hits every case alike.
    for (let n = 0; n < RUNS; n++) for (const c of cases) c.results.push(await load(browser, c.build.url, c.page.hash, c.page.ready));
    const fmt = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
    const lines = [
      '## Start-up: the workbench page',
      '',
      `Measured ${today()} by \`npx tsx bench/page-load.ts${BASELINE ? ' --baseline <dir>' : ''}\` (after \`npm run build\`): each page loaded ${RUNS} times in a fresh headless Chromium context (no cache), interleaved, against \`loralab ui\` on a registry of 5 runs; from navigation until the page shows its content, and the script the page fetched (decoded bytes).`,
      ...machineLines(loadAtStart),
      '',
      `| page | ${BASELINE ? 'build | ' : ''}until | median | fastest | script fetched |`,
      `| --- | ${BASELINE ? '--- | ' : ''}--- | ---: | ---: | ---: |`,
      ...cases.map(({ build, page, results: r }) => {
        const ms = r.map((x) => x.ms);
        return `| ${page.what} | ${BASELINE ? `${build.name} | ` : ''}${page.until} | ${fmt(median(ms))} | ${fmt(Math.min(...ms))} | ${mb(median(r.map((x) => x.scriptBytes)))} |`;
      }),
      '',
      'Monaco and monaco-yaml are a chunk of their own that only the New run page imports (scripts/build.mjs splits the renderer); its two web workers are separate files fetched when the editor starts.',
    ];
    writeSection('page-load', lines.join('\n'));
    console.log(lines.join('\n'));
  } finally {
    await browser.close();
    for (const b of builds) await b.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
