// Malformed payloads over both bindings get a VALIDATION error that names the
// field, and the process serving them keeps working; the WebSocket refuses
// connections without the token or from another origin.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { makeInvokeHandler } from '../../src/main/ipc/bind-electron';
import { startUiServer, type UiServer } from '../../src/main/server/ui-server';
import { createServices, type Services } from '../../src/main/services/index';
import { rendererDir } from '../../src/main/services/paths';
import type { Result } from '../../src/shared/ipc/result';
import { tempDir } from '../helpers';

let services: Services;
before(() => {
  services = createServices({ registryPath: join(tempDir(), 'registry.sqlite'), backend: 'cpu' });
});
after(() => services.close());

const issuePaths = (r: Result<unknown>) => (r.ok ? [] : (r.error.issues ?? []).map((i) => i.path));

describe('router (behind Electron ipcMain)', () => {
  const trusted = (url: string) => url.startsWith('file:///app/');
  const frame = { senderFrame: { url: 'file:///app/index.html' } } as never;

  test('a wrong type names the field', async () => {
    const handler = makeInvokeHandler(services.router, trusted);
    const r = await handler(frame, 'runs.get', { runId: 'seven' });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, 'VALIDATION');
    assert.deepEqual(issuePaths(r), ['payload.runId']);
  });

  test('a nested config error names its full path, and unknown keys are named', async () => {
    const handler = makeInvokeHandler(services.router, trusted);
    const r = await handler(frame, 'runs.start', {
      config: { name: 'x', model: 'some/model', data: { train: 'a.jsonl' }, train: { steps: 'many', colour: 1 } },
    });
    assert.ok(!r.ok);
    const paths = issuePaths(r);
    assert.ok(paths.includes('payload.config.train.steps'), paths.join(', '));
    assert.match(r.error.message, /colour/);
  });

  test('unknown channels, untrusted frames and non-object payloads are refused, and the handler keeps serving', async () => {
    const handler = makeInvokeHandler(services.router, trusted);
    const unknown = await handler(frame, 'runs.drop_all', {});
    assert.ok(!unknown.ok && unknown.error.code === 'UNKNOWN_CHANNEL');
    const untrusted = await handler({ senderFrame: { url: 'https://evil.example/' } } as never, 'runs.list', {});
    assert.ok(!untrusted.ok && /untrusted/.test(untrusted.error.message));
    const notObject = await handler(frame, 'runs.list', 'please');
    assert.ok(!notObject.ok && notObject.error.code === 'VALIDATION');
    const fine = await handler(frame, 'runs.list', {});
    assert.deepEqual(fine, { ok: true, value: [] });
  });

  test('a missing run is NOT_FOUND, not a crash', async () => {
    const r = await services.router.dispatch('runs.get', { runId: 999 });
    assert.ok(!r.ok && r.error.code === 'NOT_FOUND');
  });
});

describe('WebSocket server (loralab ui)', () => {
  let server: UiServer;
  before(async () => {
    server = await startUiServer(services, rendererDir());
  });
  after(() => server.close());

  const origin = () => `http://127.0.0.1:${server.port}`;
  const open = (query: string, headers: Record<string, string>) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers });
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  const exchange = (ws: WebSocket, data: string) =>
    new Promise<{ id: number | null; result: Result<unknown> }>((resolve) => {
      const onMessage = (raw: WebSocket.RawData) => {
        const msg = JSON.parse(raw.toString());
        if ('result' in msg) {
          ws.off('message', onMessage);
          resolve(msg);
        }
      };
      ws.on('message', onMessage);
      ws.send(data);
    });

  test('binds to the loopback interface only', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
  });

  // The server accepts the handshake and closes at once with a code a browser can see.
  const closeCode = (query: string, headers: Record<string, string>) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers });
      ws.once('close', (code) => resolve(code));
    });

  test('refuses a connection without the token, with a wrong token, or from another origin', async () => {
    assert.equal(await closeCode('', { Origin: origin() }), 4401);
    assert.equal(await closeCode('?token=wrong', { Origin: origin() }), 4401);
    assert.equal(await closeCode(`?token=${server.token}`, { Origin: 'http://evil.example' }), 4403);
    assert.equal(await closeCode(`?token=${server.token}`, {}), 4403);
  });

  test('malformed frames and payloads get errors naming the field; the server keeps answering', async () => {
    const ws = await open(`?token=${server.token}`, { Origin: origin() });
    try {
      const notJson = await exchange(ws, '{oops');
      assert.equal(notJson.id, null);
      assert.deepEqual(issuePaths(notJson.result), ['frame']);

      const noChannel = await exchange(ws, JSON.stringify({ id: 3, payload: {} }));
      assert.equal(noChannel.id, 3);
      assert.deepEqual(issuePaths(noChannel.result), ['frame.channel']);

      const badPayload = await exchange(ws, JSON.stringify({ id: 4, channel: 'runs.metrics', payload: { runId: 1, afterStep: 'x' } }));
      assert.equal(badPayload.id, 4);
      assert.deepEqual(issuePaths(badPayload.result), ['payload.afterStep']);

      const ok = await exchange(ws, JSON.stringify({ id: 5, channel: 'runs.list', payload: {} }));
      assert.deepEqual(ok, { id: 5, result: { ok: true, value: [] } });
    } finally {
      ws.close();
    }
  });
});
