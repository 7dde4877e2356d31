// What the workbench e2e tests share: `loralab ui` (the real CLI and server) on a
// temp registry, Debian's Chromium through playwright-core, and real training runs
// on the bundled model started with `loralab train` in a child process, as a
// researcher would from a terminal.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CLI, ROOT } from '../helpers';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export const BUNDLED_MODEL = join(ROOT, 'resources', 'models', 'lab-tiny-llama');
const DEMO_DATA = join(ROOT, 'resources', 'data', 'demo-numbers');

/** Starts `loralab ui` on a free port for the current test file (stopped after it) and resolves with its tokenized URL. */
export function startUi(registry: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const started = spawnUi(registry, env);
  after(async () => {
    (await started.catch(() => null))?.child.kill('SIGTERM');
  });
  return started;
}

/** `loralab ui` on a free port; the caller stops it. */
export function spawnUi(registry: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'ui', '--port', '0', '--registry', registry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`loralab ui exited with ${code} before printing its URL`)));
  });
}

/** A headless Chromium with a fresh profile; page errors are collected for a final assertion. */
export async function openBrowser(dir: string, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
    acceptDownloads: true,
  });
  after(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { context, page, pageErrors };
}

export interface TinyRunOptions {
  name: string;
  steps: number;
  rank?: number;
  lr?: number;
  evalEvery?: number | null;
  saveEvery?: number | null;
  method?: 'lora' | 'adalora' | 'qlora';
  extra?: Record<string, unknown>;
}

/**
 * A LoRA config on the bundled model and the demo data, small enough for a test:
 * batch 2 of at most 40 tokens, LoRA on q_proj and v_proj, and an eval set of the
 * first 8 held-out examples.
 */
export function writeTinyConfig(dir: string, o: TinyRunOptions): string {
  const evalFile = join(dir, 'eval-8.jsonl');
  writeFileSync(evalFile, readFileSync(join(DEMO_DATA, 'eval.jsonl'), 'utf8').split('\n').slice(0, 8).join('\n') + '\n');
  const config = {
    name: o.name,
    model: BUNDLED_MODEL,
    method: o.method ?? 'lora',
    lora: { r: o.rank ?? 4, alpha: 2 * (o.rank ?? 4), targets: ['q_proj', 'v_proj'] },
    // AdaLoRA: start at r, prune towards r/2 every 2 steps between a 2-step warm-up and a 2-step freeze.
    ...(o.method === 'adalora' ? { adalora: { init_r: o.rank ?? 4, target_r: Math.max(1, (o.rank ?? 4) >> 1), tinit: 2, tfinal: 2, delta_t: 2 } } : {}),
    data: { train: join(DEMO_DATA, 'train.jsonl'), eval: evalFile, max_seq_len: 40 },
    train: { steps: o.steps, batch_size: 2, lr: o.lr ?? 3e-3, schedule: 'cosine', warmup_steps: 2, eval_every: o.evalEvery ?? null, save_every: o.saveEvery ?? null, seed: 1 },
    ...o.extra,
  };
  const file = join(dir, `${o.name.replace(/\W+/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** `loralab train <config>` in a child process (its own supervisor and engine); resolves the run id it prints first. */
export function trainFromCli(registry: string, configFile: string): Promise<{ child: ChildProcess; runId: number; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, 'train', configFile, '--registry', registry], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      err += chunk;
      const m = /^run (\d+): /m.exec(err);
      if (m) resolve({ child, runId: Number(m[1]), exited });
    });
    void exited.then((code) => reject(new Error(`loralab train exited with ${code} before naming its run:\n${err}`)));
  });
}

/** Polls until `probe` is truthy (in Node, between page reads). */
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How many points a chart's primary series holds and how many x values its last draw had (zeros before it exists). */
export async function chartState(page: Page, testId: string): Promise<{ points: number; drawn: number; series: string }> {
  return page.evaluate((id) => {
    const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
    return { points: Number(el?.dataset.points ?? 0), drawn: Number(el?.dataset.drawnPoints ?? 0), series: el?.dataset.series ?? '' };
  }, testId);
}

export const runStatus = async (page: Page): Promise<string | undefined> => (await page.textContent('[data-testid="run-status"]'))?.trim();
