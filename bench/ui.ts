#!/usr/bin/env -S npx tsx
// The workbench's speed, measured in Chromium (playwright-core) against `loralab ui`:
//   1. live latency: a metric point appended to the registry (the engine's own
//      MetricsRepo.append) until the run page's loss chart has drawn it;
//   2. drawing a 100,000-point chart (the run page's loss chart rebuilt by the log
//      scale toggle: React, the aligned arrays and uPlot's canvas draw);
//   3. a 10-run comparison on a registry of 1,000 runs × 20,000 points: from the
//      hash change to the overlaid loss chart drawn (10 × runs.get and runs.metrics
//      over the WebSocket, merging, alignment, five charts, the tables).
// Run: npm run build && npx tsx bench/ui.ts [--fresh]
// The 1,000-run registry (20 M metric rows, about 2 GB) is made once under the system
// temp folder and reused; --fresh makes it again. Writes the "UI" section of BENCHMARKS.md.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { runConfigSchema } from '../src/shared/config/run-config';
import { METRIC } from '../src/shared/ipc/metric-names';
import { openRegistry, type Registry } from '../src/main/registry/index';
import { createRng } from '../src/main/engine/train/rng';
import { CHROMIUM, CHROMIUM_FLAGS, spawnUi } from '../test/e2e/harness';
import { loadAverage, machineLines, median, today, writeSection } from './report';

const ROOT = resolve(__dirname, '..');
const BIG_RUNS = 1000;
const BIG_POINTS = 20_000;
const CHART_POINTS = 100_000;
const LIVE_WRITES = 30;
const COMPARE_SETS = 5;
/** The metrics the compare page asks for (src/renderer/features/compare/useCompareRuns.ts). */
const COMPARED = [METRIC.loss, METRIC.evalLoss, METRIC.lr, METRIC.gradNorm, METRIC.tokensPerSecond, METRIC.tokens, METRIC.peakRssBytes];

function config(name: string, r: number, lr: number) {
  return runConfigSchema.parse({
    name,
    model: join(ROOT, 'resources/models/lab-tiny-llama'),
    method: 'lora',
    lora: { r, alpha: 2 * r, targets: ['q_proj', 'v_proj'] },
    data: { train: join(ROOT, 'resources/data/demo-numbers/train.jsonl'), eval: join(ROOT, 'resources/data/demo-numbers/eval.jsonl') },
    train: { steps: BIG_POINTS, lr, eval_every: 1000 },
  }) as unknown as Record<string, unknown>;
}

/** A finished run with a decaying, noisy loss at every step (deterministic per seed). */
function addRun(registry: Registry, name: string, points: number, seed: number): number {
  const rng = createRng(seed);
  const r = [4, 8, 16, 32][seed % 4]!;
  const lr = [1e-4, 3e-4, 1e-3][seed % 3]!;
  const run = registry.runs.create({ name, method: 'lora', config: config(name, r, lr) });
  const t0 = Date.UTC(2026, 0, 1) + seed * 3_600_000;
  const batch = [];
  for (let step = 1; step <= points; step++) {
    const value = 2 + 6 * Math.exp(-step / (points / 6)) + 0.15 * (rng.next() - 0.5);
    batch.push({ step, name: 'loss', value, wallTime: t0 + step * 250 });
    if (step % 1000 === 0) batch.push({ step, name: 'eval_loss', value: value + 0.1, wallTime: t0 + step * 250 });
  }
  registry.metrics.append(run.id, batch);
  registry.runs.markRunning(run.id, process.pid);
  registry.runs.finish(run.id, 'completed');
  return run.id;
}

function bigRegistry(fresh: boolean): string {
  const file = join(tmpdir(), `loralab-bench-ui-${BIG_RUNS}x${BIG_POINTS}.sqlite`);
  if (existsSync(file) && !fresh) return file;
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  const registry = openRegistry(partial);
  const started = Date.now();
  for (let i = 0; i < BIG_RUNS; i++) {
    addRun(registry, `bench run ${i + 1}`, BIG_POINTS, i + 1);
    if ((i + 1) % 100 === 0) console.error(`  ${i + 1} / ${BIG_RUNS} runs written (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  registry.close();
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(partial + suffix)) renameSync(partial + suffix, file + suffix);
  return file;
}

async function openPage(url: string, hash: string): Promise<Page> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${url}${hash}`);
  return page;
}

// The in-page timers are passed as source text: tsx compiles functions handed to
// page.evaluate with a __name helper that does not exist in the page.

/**
 * Milliseconds from a hash change until the chart `testId` has drawn `series` series
 * and `points` x values (any number above 0 when null: a reduced series' count depends on its values).
 */
function timeNavigation(page: Page, hash: string, testId: string, points: number | null, series: number): Promise<number> {
  const enough = points === null ? 'Number(fig.dataset.drawnPoints) > 0' : `Number(fig.dataset.drawnPoints) === ${points}`;
  return page.evaluate(`new Promise((done, fail) => {
    const t0 = performance.now();
    window.location.hash = ${JSON.stringify(hash)};
    function check() {
      const fig = document.querySelector('[data-testid="${testId}"]');
      const drawnAt = Number(fig?.dataset.drawnAt ?? 0);
      if (fig && drawnAt > t0 && ${enough} && (fig.dataset.series ?? '').split(',').length === ${series}) done(drawnAt - t0);
      else if (performance.now() - t0 > 60000) fail(new Error('${testId} not drawn within 60 s'));
      else requestAnimationFrame(check);
    }
    check();
  })`);
}

/** Milliseconds from a click on "Load every point" until the loss chart has drawn `points` x values. */
function timeLoadAll(page: Page, points: number): Promise<number> {
  return page.evaluate(`new Promise((done, fail) => {
    const fig = document.querySelector('[data-testid="chart-loss"]');
    const t0 = performance.now();
    document.querySelector('[data-testid="charts-load-all"]').click();
    function check() {
      if (Number(fig.dataset.drawnAt) > t0 && Number(fig.dataset.drawnPoints) === ${points}) done(Number(fig.dataset.drawnAt) - t0);
      else if (performance.now() - t0 > 60000) fail(new Error('every point not drawn within 60 s'));
      else requestAnimationFrame(check);
    }
    check();
  })`);
}

/** Milliseconds from a click on the log-scale toggle until the loss chart has drawn again. */
function timeLogToggle(page: Page): Promise<number> {
  return page.evaluate(`new Promise((done) => {
    const fig = document.querySelector('[data-testid="chart-loss"]');
    const t0 = performance.now();
    document.querySelector('[data-testid="chart-log"]').click();
    function check() {
      if (Number(fig.dataset.drawnAt) > t0) done(Number(fig.dataset.drawnAt) - t0);
      else requestAnimationFrame(check);
    }
    check();
  })`);
}

/** Records, per x value, when the loss chart first drew it (Date.now(), the registry writer's clock). */
const WATCH_DRAWN = `(() => {
  const seen = {};
  window.__seen = seen;
  const fig = document.querySelector('[data-testid="chart-loss"]');
  new MutationObserver(() => {
    const x = fig.dataset.drawnLastX;
    if (x && !(x in seen)) seen[x] = Date.now();
  }).observe(fig, { attributes: true, attributeFilter: ['data-drawn-last-x'] });
})()`;

/**
 * The server's share of a comparison: the same 10 × (runs.get + runs.metrics) sent at
 * once over the WebSocket from Node, timed until the last answer is parsed.
 */
async function timeServerShare(uiUrl: string, sets: readonly number[][], maxPoints: number): Promise<number[]> {
  const url = new URL(uiUrl);
  const socket = new WebSocket(`ws://${url.host}/ws?token=${url.searchParams.get('token')}`, { headers: { origin: url.origin } });
  await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
  let next = 1;
  const waiting = new Map<number, () => void>();
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { id?: number };
    if (frame.id !== undefined) waiting.get(frame.id)?.();
  });
  const ask = (channel: string, payload: unknown) =>
    new Promise<void>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      socket.send(JSON.stringify({ id, channel, payload }));
    });
  const times: number[] = [];
  for (const ids of sets) {
    const t0 = performance.now();
    await Promise.all(ids.flatMap((runId) => [ask('runs.get', { runId }), ask('runs.metrics', { runId, names: COMPARED, maxPoints })]));
    times.push(performance.now() - t0);
  }
  socket.close();
  return times;
}

/** How much of a file the OS page cache holds (util-linux fincore), or null where fincore is missing. */
function pageCachePercent(file: string, bytes: number): number | null {
  const r = spawnSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', file], { encoding: 'utf8' });
  const resident = Number(r.stdout?.trim());
  return r.status === 0 && Number.isFinite(resident) ? Math.round((100 * resident) / bytes) : null;
}

async function main(): Promise<void> {
  const load = loadAverage();
  const fresh = process.argv.includes('--fresh');
  const dir = mkdtempSync(join(tmpdir(), 'loralab-bench-ui-'));
  const children: ChildProcess[] = [];
  try {
    // 1 and 2 on a small registry: one running run, one with 100,000 points.
    const smallPath = join(dir, 'registry.sqlite');
    const small = openRegistry(smallPath);
    const live = small.runs.create({ name: 'live', method: 'lora', config: config('live', 8, 1e-3) });
    small.runs.markRunning(live.id, process.pid);
    const bigChart = addRun(small, '100k points', CHART_POINTS, 7);
    const smallUi = await spawnUi(smallPath);
    children.push(smallUi.child);

    console.error('1. live latency');
    const page = await openPage(smallUi.url, `#/runs/${live.id}`);
    await page.waitForSelector('[data-testid="chart-loss"]');
    await page.evaluate(WATCH_DRAWN);
    const latencies: number[] = [];
    const rng = createRng(3);
    for (let step = 1; step <= LIVE_WRITES; step++) {
      small.metrics.append(live.id, [{ step, name: 'loss', value: 3 - step / 100, wallTime: Date.now() }]);
      const written = Date.now(); // committed: the point is in the registry from here on
      const key = JSON.stringify(String(step));
      const drawn = (await page.evaluate(`new Promise((done) => {
        function check() { if (window.__seen[${key}] !== undefined) done(window.__seen[${key}]); else requestAnimationFrame(check); }
        check();
      })`)) as number;
      latencies.push(drawn - written);
      // A random pause, so the write falls anywhere in the server's 250 ms tail interval.
      await page.waitForTimeout(150 + rng.next() * 350);
    }

    console.error('2. a 100,000-point chart');
    // The run page reads a long history reduced to its charts' width, then every point on request.
    const firstDraw = await timeNavigation(page, `#/runs/${bigChart}`, 'chart-loss', null, 2);
    const reducedPoints = Number(await page.getAttribute('[data-testid="chart-loss"]', 'data-drawn-points'));
    const loadAll = await timeLoadAll(page, CHART_POINTS);
    const redraws: number[] = [];
    for (let i = 0; i < 6; i++) {
      redraws.push(await timeLogToggle(page));
    }
    await page.context().browser()!.close();
    small.close();

    console.error('3. 10 runs compared on a registry of 1,000 runs × 20,000 points');
    const bigPath = bigRegistry(fresh);
    const bigBytes = statSync(bigPath).size;
    const cached = pageCachePercent(bigPath, bigBytes);
    const bigUi = await spawnUi(bigPath);
    children.push(bigUi.child);
    const comparePage = await openPage(bigUi.url, '#/bench');
    const compares: number[] = [];
    const pick = createRng(11);
    const sets: number[][] = [];
    const newSet = () => {
      const ids = new Set<number>();
      while (ids.size < 10) ids.add(1 + Math.floor(pick.next() * BIG_RUNS));
      return [...ids];
    };
    let comparedPoints = 0;
    for (let set = 0; set <= COMPARE_SETS; set++) {
      const ids = newSet();
      sets.push(ids);
      const ms = await timeNavigation(comparePage, `#/compare?runs=${[...ids].join(',')}`, 'compare-loss', null, 10);
      if (set > 0) compares.push(ms); // the first warms the page's code paths
      comparedPoints = Number(await comparePage.getAttribute('[data-testid="compare-loss"]', 'data-drawn-points'));
      await comparePage.evaluate(`window.location.hash = '#/bench'`);
    }
    // The page's maxPoints (src/renderer/features/run/chart-points.ts): two per pixel of a 1280-px window at ratio 1.
    const maxPoints = (await comparePage.evaluate('Math.max(1000, 2 * Math.round(window.innerWidth * window.devicePixelRatio))')) as number;
    // The same sets again: the server keeps its answers for ended runs (services/series-cache.ts).
    const warmCompares: number[] = [];
    for (const ids of sets.slice(1)) {
      warmCompares.push(await timeNavigation(comparePage, `#/compare?runs=${ids.join(',')}`, 'compare-loss', null, 10));
      await comparePage.evaluate(`window.location.hash = '#/bench'`);
    }
    await comparePage.context().browser()!.close();
    // Sets not asked for before, so the server reads them from the registry.
    const serverShare = await timeServerShare(bigUi.url, Array.from({ length: COMPARE_SETS }, newSet), maxPoints);

    const fmt = (v: number) => `${Math.round(v)} ms`;
    const list = (vs: number[]) => vs.map((v) => Math.round(v)).join(', ');
    const p95 = (vs: number[]) => [...vs].sort((a, b) => a - b)[Math.ceil(vs.length * 0.95) - 1]!;
    const body = `## UI: live latency, a 100,000-point chart, a 10-run comparison

\`loralab ui\` (the real server on a real registry) and the renderer bundle in Debian's Chromium (headless, playwright-core), 1280 × 900. Times are taken in the page (performance.now() / Date.now(), the same clock as the registry writer): a chart counts as drawn when uPlot's draw hook has run with the expected points.

- Date: ${today()}
- Command: \`npx tsx bench/ui.ts\` (or \`npm run bench:ui\`; \`npm run build\` first)
${machineLines(load).join('\n')}

| | goal | median | all runs (ms) |
|---|---|---|---|
| metric appended to the registry → drawn on the run page (${LIVE_WRITES} writes, p95 ${fmt(p95(latencies))}) | < 1 s | **${fmt(median(latencies))}** | ${list(latencies)} |
| 100,000-point loss chart rebuilt and drawn (log scale toggle) | < 100 ms | **${fmt(median(redraws))}** | ${list(redraws)} |
| 10 runs compared, registry of ${BIG_RUNS.toLocaleString('en-US')} runs × ${BIG_POINTS.toLocaleString('en-US')} points (${(bigBytes / 1e9).toFixed(2)} GB): hash change → overlaid loss chart drawn | < 500 ms | **${fmt(median(compares))}** | ${list(compares)} |
| the same 10-run sets compared again (the server's answers for ended runs kept in memory) | < 500 ms | **${fmt(median(warmCompares))}** | ${list(warmCompares)} |

- The live path: the UI server tails the metrics table every 250 ms (src/main/services/metrics-tail.ts) and pushes onMetrics over the WebSocket; the page merges and redraws. The tail interval bounds the latency from above by about 250 ms plus the draw.
- Charts ask runs.metrics for at most maxPoints = 2 × the window's device pixels (${maxPoints} here) per series; a longer series comes back as the first, last, lowest and highest point of each of maxPoints / 4 step ranges (M4, src/main/registry/repos/downsample.ts), read from the covering index metrics_series (migration 003) as one range per series, and sent as columns.
- Opening the 100,000-point run (runs.metrics over the WebSocket, merge, first draw of every chart): ${fmt(firstDraw)}, its loss drawn from ${reducedPoints.toLocaleString('en-US')} points; "Load every point" until all ${CHART_POINTS.toLocaleString('en-US')} are drawn: ${fmt(loadAll)}. The log-scale redraws above are of that exact 100,000-point chart.
- Of the comparison, the server's answers alone (10 × runs.get + runs.metrics with the page's names and maxPoints ${maxPoints}, for ${COMPARE_SETS} sets of 10 runs not asked for before, sent at once from Node over the WebSocket): median ${fmt(median(serverShare))} (${list(serverShare)}); the rest is the page (parsing, merging, aligning, drawing).
- The comparison reads each run's record and its ${BIG_POINTS.toLocaleString('en-US')} losses (drawn from about ${comparedPoints.toLocaleString('en-US')} distinct steps over the 10 runs) and ${BIG_POINTS / 1000} eval losses, and draws the charts, the summary and the config diff; the first comparison after the page loaded is left out.${cached === null ? '' : ` When the comparisons began, ${cached}% of the registry file was in the OS page cache (fincore); this machine's disk reads about 20 MB/s, so an uncached run costs its pages' reads.`}
`;
    writeSection('ui', body);
    console.log(body);
  } finally {
    for (const c of children) c.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
