// What the tool pages' e2e tests share: one `loralab ui` (the real CLI and server)
// on a fresh registry, one headless Debian Chromium driven by Playwright, a short
// real training run on the bundled model (through the CLI), and screenshots in
// light and dark.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { CLI, ROOT } from '../helpers';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

/** The CLI under test: the built one in this checkout (LORALAB_CLI may name another build of it). */
const LORALAB = process.env.LORALAB_CLI ?? CLI;

export const BUNDLED_MODEL = join(ROOT, 'resources/models/lab-tiny-llama');
export const STARTER = join(ROOT, 'resources/configs/starter.yaml');

export interface Session {
  dir: string;
  registry: string;
  url: string;
  page: Page;
  context: BrowserContext;
  /** Uncaught errors in the page; a test ends by asserting there were none. */
  pageErrors: string[];
}

export async function openSession(): Promise<Session> {
  const dir = mkdtempSync(join(tmpdir(), 'loralab-e2e-tools-'));
  const registry = join(dir, 'registry.sqlite');
  const ui = await startUi(registry);
  const context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  // One hook, in order: the browser and the server end before their folder goes.
  after(async () => {
    await context.close();
    await ui.stop();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });
  const url = ui.url;
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
  });
  return { dir, registry, url, page, context, pageErrors };
}

/** The page at `hash` (e.g. "#/inspect"), with the session's token. */
export async function openPage(s: Session, hash: string): Promise<void> {
  await s.page.goto(`${s.url}${hash}`);
}

function startUi(registry: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [LORALAB, 'ui', '--port', '0', '--registry', registry], {
    cwd: ROOT,
    env: { ...process.env, LORALAB_BACKEND: 'wasm' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/.exec(out);
      if (m) resolve({ url: m[1]!, stop });
    });
    child.once('exit', (code) => reject(new Error(`loralab ui exited with ${code} before printing its URL`)));
  });
}

/** The starter config (bundled model, demo data) shortened to `steps` steps, paths made absolute. */
export function shortConfig(name: string, steps: number): Record<string, unknown> {
  const config = parse(readFileSync(STARTER, 'utf8')) as Record<string, Record<string, unknown>>;
  const abs = (p: unknown) => join(ROOT, 'resources/configs', String(p));
  return {
    ...config,
    name,
    model: abs(config.model),
    data: { ...config.data, train: abs(config.data!.train), eval: null },
    train: { ...config.train, steps, warmup_steps: 0, eval_every: null, save_every: null, batch_size: 4 },
  };
}

/** Trains a short LoRA run with `loralab train` into the session's registry; returns its run id. */
export function trainWithCli(s: Session, name: string, steps: number): number {
  const file = join(s.dir, `${name}.yaml`);
  writeFileSync(file, stringify(shortConfig(name, steps)));
  const r = spawnSync(process.execPath, [LORALAB, 'train', file, '--registry', s.registry, '--json'], {
    cwd: ROOT,
    env: { ...process.env, LORALAB_BACKEND: 'wasm' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`loralab train failed (${r.status}): ${r.stderr}`);
  const runId = Number((JSON.parse(r.stdout.trim().split('\n').pop()!) as { runId?: number; id?: number }).runId);
  if (!Number.isInteger(runId)) throw new Error(`loralab train printed no run id: ${r.stdout}`);
  return runId;
}

/** Full-page screenshots in light and dark under test-results/ (what a person would see). */
export async function screenshots(page: Page, name: string): Promise<void> {
  const dir = join(ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(dir, `e2e-${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
