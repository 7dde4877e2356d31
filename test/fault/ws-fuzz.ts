// A fuzzer of WebSocket frames against the real `loralab ui` server (in this
// process, so an uncaught exception anywhere in it is seen and counted): batches
// of hand-built frames over raw TCP after a valid upgrade — well-formed requests
// with junk channels and payloads, invalid JSON and UTF-8, binary, ping/pong,
// fragments, reserved opcodes and bits, unmasked frames, bad close codes, lengths
// over the limit or longer than what follows. After every few batches a proper
// client must still get an answer. Channels with side effects are never named.
import { connect } from 'node:net';
import { join } from 'node:path';
import { startUiServer } from '../../src/main/server/ui-server';
import { createServices } from '../../src/main/services/index';
import { rendererDir } from '../../src/main/services/paths';
import { createRng, type Rng } from '../../src/main/engine/train/rng';
import { frame, upgradeRequest } from './ui-process';
import WebSocket from 'ws';

export interface WsFuzzStats {
  name: string;
  cases: number;
  connections: number;
  answers: number;
  crashes: string[];
  hangs: number;
  seconds: number;
}

const SAFE_CHANNELS = ['runs.list', 'runs.get', 'runs.metrics', 'runs.nope', '', 'system.', '__proto__', 'constructor'];
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)]!;

function payload(rng: Rng): unknown {
  return pick(rng, [
    {},
    { runId: rng.int(5) },
    { runId: -1 },
    { runId: 'x' },
    { runId: 1e308 },
    { runId: 1, afterStep: 'nope' },
    null,
    [1, 2, 3],
    'a string',
    { __proto__: { polluted: true } },
    { runId: 1, extra: { deep: [{ deeper: {} }] } },
  ]);
}

function randomFrame(rng: Rng): { bytes: Buffer; fatal: boolean } {
  // One frame in ten breaks the protocol (and so ends its connection); the rest must be answered.
  const k = rng.next() < 0.1 ? 10 + rng.int(10) : pick(rng, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 17]);
  const text = (s: string) => Buffer.from(s, 'utf8');
  switch (k) {
    case 0: case 1: case 2: case 3: case 4: case 5: {
      const body = { id: pick(rng, [rng.int(1000), -1, 'x', null, 1.5, 2 ** 60]), channel: pick(rng, SAFE_CHANNELS), payload: payload(rng) };
      return { bytes: frame(0x1, text(JSON.stringify(body))), fatal: false };
    }
    case 6: return { bytes: frame(0x1, text(pick(rng, ['{oops', '', 'null', '[]', '"x"', '{"id":1}', '{"id":1,"channel":5}', '1e999']))), fatal: false };
    case 7: return { bytes: frame(0x2, Buffer.from(Array.from({ length: rng.int(64) }, () => rng.int(256)))), fatal: false };
    case 8: return { bytes: frame(0x9, text('ping')), fatal: false };
    case 9: return { bytes: frame(0xa, text('pong')), fatal: false };
    case 10: return { bytes: frame(0x1, Buffer.from([0xc3, 0x28, 0xff])), fatal: true }; // invalid UTF-8
    case 11: return { bytes: frame(pick(rng, [0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf]), text('x')), fatal: true };
    case 12: return { bytes: frame(0x1, text('{}'), { masked: false }), fatal: true };
    case 13: return { bytes: frame(0x1, text('{}'), { rsv: 1 + rng.int(7) }), fatal: true };
    case 14: return { bytes: frame(0x1, Buffer.alloc(8), { declaredLength: pick(rng, [2 ** 40, 17 * 1024 * 1024, 2 ** 53]) }), fatal: true };
    case 15: return { bytes: frame(0x0, text('continuation without a start')), fatal: true };
    case 16: return { bytes: frame(0x8, Buffer.from([rng.int(256), rng.int(256)])), fatal: true };
    case 17: {
      // A fragmented message: first part (FIN clear), then a continuation with FIN.
      const first = frame(0x1, text('{"id":7,'));
      first[0] = first[0]! & 0x7f;
      return { bytes: Buffer.concat([first, frame(0x0, text('"channel":"runs.list","payload":{}}'))]), fatal: false };
    }
    case 18: return { bytes: frame(0x1, Buffer.alloc(4), { declaredLength: 100 + rng.int(1000) }), fatal: true }; // promises more than it sends
    default: return { bytes: Buffer.from(Array.from({ length: 1 + rng.int(32) }, () => rng.int(256))), fatal: true }; // not a frame at all
  }
}

function sendBatch(port: number, token: string, origin: string, frames: Buffer[]): Promise<{ answers: number; timedOut: boolean }> {
  return new Promise((resolve) => {
    let answers = 0;
    let done = false;
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.concat([Buffer.from(upgradeRequest(port, token, origin)), ...frames])));
    const finish = (timedOut: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(quiet);
      clearTimeout(limit);
      socket.destroy();
      resolve({ answers, timedOut });
    };
    // Quiet for a while: the server has answered what it will (or waits for bytes that never come).
    let quiet = setTimeout(() => finish(false), 120);
    const limit = setTimeout(() => finish(true), 10_000);
    socket.on('data', (chunk) => {
      answers += chunk.toString('latin1').split('"result"').length - 1;
      clearTimeout(quiet);
      quiet = setTimeout(() => finish(false), 60);
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}

async function validRequest(port: number, token: string, origin: string): Promise<boolean> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`, { headers: { Origin: origin } });
  try {
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5000);
      ws.once('open', () => ws.send(JSON.stringify({ id: 1, channel: 'runs.list', payload: {} })));
      ws.on('message', (raw) => {
        const msg = JSON.parse(raw.toString()) as { id?: number; result?: { ok: boolean } };
        if (msg.id === 1) {
          clearTimeout(timer);
          resolve(msg.result?.ok === true);
        }
      });
      ws.once('error', () => resolve(false));
    });
  } finally {
    ws.terminate();
  }
}

export async function fuzzWebSocketFrames(cases: number, seed: number, dir: string): Promise<WsFuzzStats> {
  const stats: WsFuzzStats = { name: 'WebSocket frames', cases: 0, connections: 0, answers: 0, crashes: [], hangs: 0, seconds: 0 };
  const started = Date.now();
  const rng = createRng(seed);
  const onUncaught = (err: Error) => stats.crashes.push(`uncaught: ${err.message}`);
  process.on('uncaughtException', onUncaught);
  const services = createServices({ registryPath: join(dir, 'ws-fuzz.sqlite'), backend: 'cpu' });
  const server = await startUiServer(services, rendererDir());
  const origin = `http://127.0.0.1:${server.port}`;
  try {
    let batch = 0;
    while (stats.cases < cases) {
      const frames: Buffer[] = [];
      // Most batches are long runs of frames a server must answer; some end in a violation.
      const n = 1 + rng.int(80);
      for (let i = 0; i < n && stats.cases < cases; i++) {
        const f = randomFrame(rng);
        frames.push(f.bytes);
        stats.cases++;
        if (f.fatal) break;
      }
      const r = await sendBatch(server.port, server.token, origin, frames);
      stats.connections++;
      stats.answers += r.answers;
      if (r.timedOut) stats.hangs++;
      if (++batch % 25 === 0 && !(await validRequest(server.port, server.token, origin))) stats.crashes.push(`after batch ${batch}: a valid request got no answer`);
    }
    if (!(await validRequest(server.port, server.token, origin))) stats.crashes.push('at the end: a valid request got no answer');
  } finally {
    await server.close();
    await services.close();
    process.off('uncaughtException', onUncaught);
  }
  stats.seconds = (Date.now() - started) / 1000;
  return stats;
}
