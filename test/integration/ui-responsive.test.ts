// Acceptance: the `loralab ui` server (and the same services behind Electron's
// ipcMain handler) keep answering a cheap request within 50 ms while an engine
// trains, while a merge runs and while New run's data preview tokenizes (its
// first ask loads the tokenizer in the preview engine) — real processes: a `loralab ui` child, its engine
// children, and a WebSocket client here. Heavy work never
// runs in the server's event loop (it forks engines), so its latency is the
// loop's own. p99 is asserted; p99 and max are printed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, test } from 'node:test';
import WebSocket from 'ws';
import { spawn, type ChildProcess } from 'node:child_process';
import { makeInvokeHandler } from '../../src/main/ipc/bind-electron';
import { createServices } from '../../src/main/services/index';
import { CLI, ROOT, tempDir, waitFor } from '../helpers';

const BUNDLED = join(ROOT, 'resources/models/lab-tiny-llama');
const DATA = join(ROOT, 'resources/data/demo-numbers');

interface UiProcess {
  child: ChildProcess;
  port: number;
  token: string;
  origin: string;
  stop(): Promise<void>;
}

/** `loralab ui` on a fresh registry, engines on the wasm backend; resolves once it prints its URL. */
async function startUi(registry: string): Promise<UiProcess> {
  const child = spawn(process.execPath, [CLI, 'ui', '--registry', registry, '--backend', 'wasm'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const m = await waitFor(`loralab ui to print its URL (stderr: ${stderr})`, () => /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+)/.exec(stdout), 60_000);
  const port = Number(m[1]);
  return {
    child,
    port,
    token: m[2]!,
    origin: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

interface Client {
  request(channel: string, payload?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>;
  events: { event: string; payload: Record<string, unknown> }[];
  close(): void;
}

async function connect(ui: UiProcess): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${ui.port}/ws?token=${ui.token}`, { headers: { Origin: ui.origin } });
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  const pending = new Map<number, (r: never) => void>();
  const events: Client['events'] = [];
  ws.on('message', (raw) => {
    const msg = JSON.parse(raw.toString()) as { id?: number; result?: never; event?: string; payload?: Record<string, unknown> };
    if (msg.event) events.push({ event: msg.event, payload: msg.payload ?? {} });
    else if (typeof msg.id === 'number') pending.get(msg.id)?.(msg.result!);
  });
  let id = 0;
  return {
    events,
    request(channel, payload = {}) {
      const n = ++id;
      return new Promise((resolve) => {
        pending.set(n, resolve as never);
        ws.send(JSON.stringify({ id: n, channel, payload }));
      });
    },
    close: () => ws.close(),
  };
}

/** Round trips of a cheap request, one after another with a 10 ms gap, while `busy()` holds. */
async function latencies(client: Client, busy: () => boolean, minSamples: number): Promise<number[]> {
  const out: number[] = [];
  while (busy() || out.length < minSamples) {
    const t = performance.now();
    const r = await client.request('runs.list');
    out.push(performance.now() - t);
    assert.ok(r.ok, r.error?.message);
    await new Promise((res) => setTimeout(res, 10));
    if (out.length > 2000) break;
  }
  return out;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

let ui: UiProcess | undefined;
after(async () => ui?.stop());

test('the ui server answers within 50 ms (p99) while an engine trains, while a merge runs and while data previews are made', { timeout: 300_000 }, async () => {
  ui = await startUi(join(tempDir(), 'registry.sqlite'));
  const client = await connect(ui);
  try {
    // Warm-up: the first request compiles the handlers' code paths.
    for (let i = 0; i < 5; i++) await client.request('runs.list');

    const config = {
      name: 'responsive: training',
      model: BUNDLED,
      method: 'lora',
      lora: { r: 8, alpha: 16, targets: ['q_proj', 'v_proj'] },
      data: { train: join(DATA, 'train.jsonl'), max_seq_len: 64 },
      train: { steps: 100_000, batch_size: 8, lr: 1e-3 },
    };
    const started = await client.request('runs.start', { config });
    assert.ok(started.ok, started.error?.message);
    const { runId } = started.value as { runId: number };
    await waitFor('training steps', () => client.events.filter((e) => e.event === 'onProgress').length >= 2, 120_000);
    const training = await latencies(client, () => false, 150);
    const stop = await client.request('runs.stop', { runId });
    assert.deepEqual(stop.value, { stopping: true });
    await waitFor('the run stopped', () => client.events.some((e) => e.event === 'onRunStatus' && e.payload.status === 'stopped'), 120_000);

    const detail = (await client.request('runs.get', { runId })).value as { artifacts: { kind: string; path: string }[] };
    const adapter = detail.artifacts.find((a) => a.kind === 'adapter')!.path;
    const merge = await client.request('merge.start', { base: BUNDLED, adapters: [{ path: adapter, weight: 1 }], out: join(tempDir(), 'merged'), verify: true });
    assert.ok(merge.ok, merge.error?.message);
    const { jobId } = merge.value as { jobId: string };
    const done = () => client.events.find((e) => e.event === 'onJobDone' && e.payload.jobId === jobId);
    const merging = await latencies(client, () => !done(), 20);
    const result = done()!.payload as { ok: boolean; error: string | null; result: { verify: { maxAbsLogitDiff: number } } };
    assert.ok(result.ok, result.error ?? '');
    assert.ok(result.result.verify.maxAbsLogitDiff < 1e-3);

    // New run asks for a preview on each change of the data path or max_seq_len.
    let previewed = 0;
    const previews = (async () => {
      for (const maxSeqLen of [64, 48, 32, 16, 8]) {
        const r = await client.request('data.preview', { model: BUNDLED, file: join(DATA, 'train.jsonl'), maxSeqLen, limit: 8 });
        assert.ok(r.ok, r.error?.message);
        assert.equal((r.value as { examples: unknown[] }).examples.length, 8);
        previewed++;
      }
    })();
    const previewing = await latencies(client, () => previewed < 5, 20);
    await previews;

    // Every phase is printed before any is judged, so one failure still shows the others.
    const phases = [['training', training], ['merging', merging], ['previewing data', previewing]] as const;
    for (const [what, xs] of phases) {
      if (process.env.LORALAB_DEBUG) console.log(xs.map((x, i) => [i, Math.round(x)]).filter(([, x]) => x! > 30).join(' '));
      console.log(`ui server while ${what}: ${xs.length} requests, p50 ${quantile(xs, 0.5).toFixed(1)} ms, p99 ${quantile(xs, 0.99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`);
    }
    for (const [what, xs] of phases) {
      const p99 = quantile(xs, 0.99);
      assert.ok(p99 < 50, `p99 ${p99.toFixed(1)} ms while ${what} (max ${Math.max(...xs).toFixed(1)} ms)`);
    }
  } finally {
    client.close();
  }
});

test('the same services behind the Electron ipcMain handler answer within 50 ms (p99) while an engine trains', { timeout: 300_000 }, async () => {
  const services = createServices({ registryPath: join(tempDir(), 'registry.sqlite'), backend: 'wasm' });
  try {
    const home = 'file:///app/dist/renderer/index.html';
    const invoke = makeInvokeHandler(services.router, (url) => url === home);
    const frame = { senderFrame: { url: home } } as never;
    let steps = 0;
    services.hub.subscribe((event) => event === 'onProgress' && steps++);
    const config = {
      name: 'responsive: electron',
      model: BUNDLED,
      method: 'lora',
      lora: { r: 8, alpha: 16, targets: ['q_proj', 'v_proj'] },
      data: { train: join(DATA, 'train.jsonl'), max_seq_len: 64 },
      train: { steps: 100_000, batch_size: 8, lr: 1e-3 },
    };
    const started = await invoke(frame, 'runs.start', { config });
    assert.ok(started.ok, !started.ok ? started.error.message : '');
    await waitFor('training steps', () => steps >= 2, 120_000);
    const xs: number[] = [];
    for (let i = 0; i < 150; i++) {
      const t = performance.now();
      const r = await invoke(frame, 'runs.list', {});
      xs.push(performance.now() - t);
      assert.ok(r.ok);
      await new Promise((res) => setTimeout(res, 10));
    }
    const p99 = quantile(xs, 0.99);
    console.log(`services under the ipcMain handler while training: ${xs.length} requests, p50 ${quantile(xs, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`);
    assert.ok(p99 < 50, `p99 ${p99.toFixed(1)} ms`);
  } finally {
    await services.close();
  }
});
