import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from '../../shared/ipc/client';
import { RemoteError } from '../../shared/ipc/result';
import { FIRST_DELAY_MS, MAX_DELAY_MS, reconnectDelay } from './backoff';
import { createWebSocketTransport, REFUSED_MESSAGE, type SocketHandlers } from './websocket-transport';

/** A scripted server: records sockets and frames, and lets the test open and close them. */
function harness() {
  const sockets: { url: string; handlers: SocketHandlers; sent: string[]; closed: boolean }[] = [];
  const timers: { run: () => void; ms: number }[] = [];
  const transport = createWebSocketTransport({
    url: 'ws://127.0.0.1:1/ws?token=t',
    openSocket: (url, handlers) => {
      const s = { url, handlers, sent: [] as string[], closed: false };
      sockets.push(s);
      return { send: (d) => s.sent.push(d), close: () => void (s.closed = true) };
    },
    schedule: (run, ms) => void timers.push({ run, ms }),
    delay: (attempt) => attempt * 100,
  });
  const last = () => sockets[sockets.length - 1]!;
  const frames = () => last().sent.map((d) => JSON.parse(d) as { id: number; channel: string; payload: unknown });
  const reply = (id: number, result: unknown) => last().handlers.message(JSON.stringify({ id, result }));
  const flushTimers = () => timers.splice(0).forEach((t) => t.run());
  return { transport, sockets, timers, last, frames, reply, flushTimers };
}

const tick = () => new Promise((r) => setImmediate(r));

test('requests made before the socket opens wait and then go out in order', async () => {
  const h = harness();
  const a = h.transport.invoke('runs.list', {});
  const b = h.transport.invoke('runs.get', { runId: 1 });
  assert.deepEqual(h.last().sent, []);
  h.last().handlers.open();
  assert.deepEqual(
    h.frames().map((f) => [f.id, f.channel]),
    [
      [1, 'runs.list'],
      [2, 'runs.get'],
    ],
  );
  h.reply(2, { ok: true, value: 'two' });
  h.reply(1, { ok: true, value: 'one' });
  assert.deepEqual(await a, { ok: true, value: 'one' });
  assert.deepEqual(await b, { ok: true, value: 'two' });
  assert.equal(h.transport.connection.get().state.kind, 'open');
  assert.equal(h.transport.connection.get().generation, 1);
});

test('events reach subscribers until they unsubscribe; junk frames are ignored', () => {
  const h = harness();
  h.last().handlers.open();
  const seen: [string, unknown][] = [];
  const off = h.transport.subscribe((e, p) => seen.push([e, p]));
  h.last().handlers.message('not json');
  h.last().handlers.message('42');
  h.last().handlers.message(JSON.stringify({ id: null, result: { ok: false } }));
  h.last().handlers.message(JSON.stringify({ event: 'onRunStatus', payload: { runId: 1 } }));
  off();
  h.last().handlers.message(JSON.stringify({ event: 'onRunStatus', payload: { runId: 2 } }));
  assert.deepEqual(seen, [['onRunStatus', { runId: 1 }]]);
});

test('a drop fails the requests in flight, keeps the queued ones, and reconnects with backoff', async () => {
  const h = harness();
  h.last().handlers.open();
  const inFlight = h.transport.invoke('runs.start', { config: {} });
  h.last().handlers.close(1006, '');
  const r = await inFlight;
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.error.message : '', /lost before it answered runs\.start/);
  assert.deepEqual(h.transport.connection.get().state, { kind: 'reconnecting', attempt: 1, retryInMs: 100, everOpened: true });

  const queued = h.transport.invoke('runs.list', {});
  h.flushTimers(); // reconnect attempt 1 fails too
  h.last().handlers.close(1006, '');
  assert.equal(h.timers[0]!.ms, 200, 'the delay grows with each failure');
  h.flushTimers();
  assert.equal(h.sockets.length, 3);
  h.last().handlers.open();
  assert.equal(h.transport.connection.get().generation, 2, 'each open is a new generation');
  const [frame] = h.frames();
  assert.equal(frame!.channel, 'runs.list', 'the queued request went out, the failed one was not resent');
  h.reply(frame!.id, { ok: true, value: [] });
  assert.deepEqual(await queued, { ok: true, value: [] });
});

test('a connection that never opens reports everOpened: false', () => {
  const h = harness();
  h.last().handlers.close(1006, '');
  const state = h.transport.connection.get().state;
  assert.equal(state.kind, 'reconnecting');
  assert.equal(state.kind === 'reconnecting' && state.everOpened, false);
});

test('a refusal close code stops reconnecting and fails every request with the reason', async () => {
  const h = harness();
  const queued = h.transport.invoke('runs.list', {});
  h.last().handlers.close(4401, 'invalid token');
  assert.deepEqual(h.transport.connection.get().state, { kind: 'refused', reason: 'invalid token' });
  assert.equal(h.timers.length, 0);
  const r = await queued;
  assert.equal(!r.ok && r.error.message, 'invalid token');
  const later = await h.transport.invoke('runs.list', {});
  assert.equal(later.ok, false);
});

test('a malformed reply becomes an error result; the typed client rethrows it', async () => {
  const h = harness();
  h.last().handlers.open();
  const client = createClient(h.transport);
  const p = client.request('runs.list', {});
  h.reply(1, { nope: true });
  await assert.rejects(p, (e) => e instanceof RemoteError && /malformed reply to runs\.list/.test(e.message));
  const q = client.request('runs.get', { runId: 3 });
  h.reply(2, { ok: false, error: { name: 'LoraLabError', message: 'run 3 not found', code: 'NOT_FOUND' } });
  await assert.rejects(q, (e) => e instanceof RemoteError && e.code === 'NOT_FOUND');
  await tick();
});

test('reconnectDelay doubles from the first delay up to the ceiling, with bounded jitter', () => {
  const mid = () => 0.5;
  assert.equal(reconnectDelay(1, mid), FIRST_DELAY_MS);
  assert.equal(reconnectDelay(2, mid), FIRST_DELAY_MS * 2);
  assert.equal(reconnectDelay(30, mid), MAX_DELAY_MS);
  assert.equal(reconnectDelay(1, () => 0), FIRST_DELAY_MS * 0.8);
  assert.equal(reconnectDelay(1, () => 1), FIRST_DELAY_MS * 1.2);
});

test('a socket that fails to open while the server answers HTTP was refused: no more retries', async () => {
  let probes = 0;
  const sockets: SocketHandlers[] = [];
  const timers: (() => void)[] = [];
  const transport = createWebSocketTransport({
    url: 'ws://x/ws?token=old',
    openSocket: (_url, handlers) => {
      sockets.push(handlers);
      return { send: () => {}, close: () => {} };
    },
    schedule: (run) => void timers.push(run),
    probe: async () => {
      probes += 1;
      return probes > 1; // down at first, then up but refusing
    },
  });
  const pending = transport.invoke('runs.list', {});
  sockets[0]!.close(1006, '');
  await tick();
  assert.equal(transport.connection.get().state.kind, 'reconnecting', 'server down: keep trying');
  timers.shift()!();
  sockets[1]!.close(1006, '');
  await tick();
  assert.deepEqual(transport.connection.get().state, { kind: 'refused', reason: REFUSED_MESSAGE });
  assert.equal(timers.length, 0);
  const r = await pending;
  assert.equal(!r.ok && r.error.message, REFUSED_MESSAGE);
});

test('a drop after the socket was open reconnects without probing', async () => {
  let probes = 0;
  const sockets: SocketHandlers[] = [];
  const timers: (() => void)[] = [];
  createWebSocketTransport({
    url: 'ws://x/ws?token=t',
    openSocket: (_url, handlers) => {
      sockets.push(handlers);
      return { send: () => {}, close: () => {} };
    },
    schedule: (run) => void timers.push(run),
    probe: async () => {
      probes += 1;
      return true;
    },
  });
  sockets[0]!.open();
  sockets[0]!.close(1006, '');
  await tick();
  assert.equal(probes, 0);
  assert.equal(timers.length, 1);
});
