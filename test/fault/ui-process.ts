// A real `loralab ui` process for fault tests, and raw HTTP / WebSocket access to
// it over node:net, so a test can send what no well-behaved client would.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { CLI, ROOT } from '../helpers';

export interface UiProcess {
  child: ChildProcess;
  port: number;
  token: string;
  origin: string;
  /** Whether the process is still running. */
  alive(): boolean;
  stderr(): string;
  stop(): Promise<void>;
}

export async function startUiProcess(registry: string, env: Record<string, string> = {}): Promise<UiProcess> {
  const child = spawn(process.execPath, [CLI, 'ui', '--registry', registry, '--backend', 'cpu'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const deadline = Date.now() + 60_000;
  let m: RegExpExecArray | null = null;
  while (!(m = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+)/.exec(stdout))) {
    if (exited || Date.now() > deadline) throw new Error(`loralab ui did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = Number(m[1]);
  return {
    child,
    port,
    token: m[2]!,
    origin: `http://127.0.0.1:${port}`,
    alive: () => !exited,
    stderr: () => stderr,
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
  };
}

/** Sends raw bytes and collects everything the server answers until it closes (or `ms` pass). */
export function rawExchange(port: number, bytes: Buffer | string, ms = 2000): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks));
    };
    const timer = setTimeout(done, ms);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', done);
    socket.on('close', done);
  });
}

/** An HTTP/1.1 upgrade request for /ws with the given token and origin. */
export function upgradeRequest(port: number, token: string, origin: string): string {
  return (
    `GET /ws?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nOrigin: ${origin}\r\n\r\n`
  );
}

/**
 * One WebSocket frame, built by hand (RFC 6455 §5.2): FIN set, the given opcode,
 * masked unless told not to, and a declared length that may differ from the payload's.
 */
export function frame(opcode: number, payload: Buffer, opts: { masked?: boolean; declaredLength?: number; rsv?: number } = {}): Buffer {
  const masked = opts.masked ?? true;
  const len = opts.declaredLength ?? payload.length;
  const head: number[] = [0x80 | ((opts.rsv ?? 0) << 4) | opcode];
  const maskBit = masked ? 0x80 : 0;
  if (len < 126) head.push(maskBit | len);
  else if (len < 65536) head.push(maskBit | 126, len >> 8, len & 0xff);
  else {
    head.push(maskBit | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(len));
    head.push(...big);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from(head), mask, body]);
}

/** Opens a proper client socket and makes one request; resolves with its result. */
export async function request(ui: UiProcess, channel: string, payload: unknown = {}): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const ws = new WebSocket(`ws://127.0.0.1:${ui.port}/ws?token=${ui.token}`, { headers: { Origin: ui.origin } });
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return await new Promise((resolve, reject) => {
      ws.on('message', (raw) => {
        const msg = JSON.parse(raw.toString()) as { id?: number; result?: never };
        if (msg.id === 1 && msg.result) resolve(msg.result);
      });
      ws.once('error', reject);
      ws.send(JSON.stringify({ id: 1, channel, payload }));
    });
  } finally {
    ws.close();
  }
}

/** Opens a socket and resolves with the close code the server sends. */
export function closeCodeFor(port: number, query: string, origin: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws${query}`, { headers: origin ? { Origin: origin } : {} });
    ws.once('close', (code) => resolve(code));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', () => undefined);
  });
}
