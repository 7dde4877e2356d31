// What a client can send to a running `loralab ui` (a real process): malformed
// URLs and WebSocket protocol errors over a raw TCP socket. None may end the
// process; after each one a valid request still succeeds. Refused sockets get
// the close codes the renderer's transport acts on (4401 token, 4403 origin).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { tempDir } from '../helpers';
import { closeCodeFor, frame, rawExchange, request, startUiProcess, upgradeRequest, type UiProcess } from '../fault/ui-process';

let ui: UiProcess;
before(async () => {
  ui = await startUiProcess(join(tempDir(), 'registry.sqlite'));
});
after(() => ui.stop());

async function stillServes(what: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(ui.alive(), `loralab ui died after ${what}: ${ui.stderr()}`);
  const r = await request(ui, 'runs.list');
  assert.deepEqual(r, { ok: true, value: [] }, what);
}

test('malformed request lines and percent-escapes get 400, and the server goes on', async () => {
  for (const path of ['/%', '/%E0%A4%A', '/assets/%ZZ.js', '/%00', '/..%2f..%2fetc%2fpasswd', '//%c0%af']) {
    const answer = (await rawExchange(ui.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)).toString();
    assert.match(answer, /^HTTP\/1\.1 (400|404) /, `${path}: ${answer.slice(0, 80)}`);
    await stillServes(`GET ${path}`);
  }
  const garbage = (await rawExchange(ui.port, 'NOT HTTP AT ALL\r\n\r\n')).toString();
  assert.match(garbage, /^HTTP\/1\.1 400 /);
  await stillServes('a request line that is not HTTP');
});

test('WebSocket protocol errors close that socket only', async () => {
  const cases: [string, Buffer][] = [
    ['a frame over the payload limit', frame(0x1, Buffer.alloc(16), { declaredLength: 2 ** 40 })],
    ['invalid UTF-8 in a text frame', frame(0x1, Buffer.from([0xff, 0xfe, 0xc0, 0x80]))],
    ['an unmasked client frame', frame(0x1, Buffer.from('{"id":1}'), { masked: false })],
    ['a reserved opcode', frame(0x3, Buffer.from('x'))],
    ['a reserved bit set', frame(0x1, Buffer.from('{}'), { rsv: 0b100 })],
    ['a fragmented control frame', Buffer.from([0x09, 0x80, 0, 0, 0, 0])],
    ['a close frame with an invalid code', frame(0x8, Buffer.from([0x03, 0xe7]))],
  ];
  for (const [what, bytes] of cases) {
    const upgrade = Buffer.from(upgradeRequest(ui.port, ui.token, ui.origin));
    const answer = await rawExchange(ui.port, Buffer.concat([upgrade, bytes]));
    assert.match(answer.toString('latin1'), /^HTTP\/1\.1 101 /, what);
    await stillServes(what);
  }
});

test('a socket without the token closes with 4401, from another origin with 4403', async () => {
  assert.equal(await closeCodeFor(ui.port, '', ui.origin), 4401);
  assert.equal(await closeCodeFor(ui.port, '?token=wrong', ui.origin), 4401);
  assert.equal(await closeCodeFor(ui.port, `?token=${ui.token}`, 'http://evil.example'), 4403);
  assert.equal(await closeCodeFor(ui.port, `?token=${ui.token}`, undefined), 4403);
  await stillServes('refused sockets');
});
