// `loralab ui`: serves the renderer and the IPC contract over a WebSocket on the
// loopback interface only. A random token, given in the printed URL, is required
// for the socket, and a socket opened from any other origin is refused.
//
// Nothing a client sends may end this process (it supervises runs): every HTTP
// request goes through one try/catch (a malformed URL is a 400, anything else a
// 500), and every socket — raw TCP during the upgrade, each WebSocket, the
// WebSocket server — has an 'error' listener, so a protocol error (a frame over
// the payload limit, invalid UTF-8, an unmasked or reserved-opcode frame) closes
// that one connection. A refused socket is accepted and then closed with 4401 (no
// or wrong token) or 4403 (another origin): a browser hides a handshake's HTTP
// status, but shows a close code, and the renderer's transport stops retrying on it.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Services } from '../services/index';
import { serveStatic } from './static-files';
import { bindSocket } from './ws-binding';

export interface UiServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startUiServer(services: Services, rendererDir: string, port = 0): Promise<UiServer> {
  const token = randomBytes(24).toString('hex');
  const http: Server = createServer((req, res) => {
    try {
      serveStatic(rendererDir, req, res);
    } catch (err) {
      answerError(res, err);
    }
  });
  // A request Node cannot parse: answer 400 on the socket if it is still writable.
  http.on('clientError', (_err, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  wss.on('error', (err) => process.stderr.write(`loralab ui: WebSocket server error: ${err.message}\n`));
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', resolve);
  });
  const actualPort = (http.address() as AddressInfo).port;
  const origins = new Set([`http://127.0.0.1:${actualPort}`, `http://localhost:${actualPort}`]);

  http.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    // Before the handshake completes the raw socket is ours; a reset must not throw.
    socket.on('error', () => socket.destroy());
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/ws') return refuse(404, 'Not Found');
      const refusal = !origins.has(req.headers.origin ?? '')
        ? ([4403, 'origin not allowed'] as const)
        : !sameToken(url.searchParams.get('token') ?? '', token)
          ? ([4401, 'invalid token'] as const)
          : null;
      wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        ws.on('error', () => ws.terminate());
        if (refusal) ws.close(refusal[0], refusal[1]);
        else bindSocket(ws, services.router, services.hub);
      });
    } catch {
      refuse(400, 'Bad Request');
    }
  });

  return {
    url: `http://127.0.0.1:${actualPort}/?token=${token}`,
    port: actualPort,
    token,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** The one answer to a request that threw: 400 for a malformed URL, else 500; never a stack. */
function answerError(res: ServerResponse, err: unknown): void {
  const bad = err instanceof URIError || (err as { code?: string }).code === 'ERR_INVALID_URL';
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(bad ? 400 : 500, { 'Content-Type': 'text/plain' }).end(bad ? 'bad request' : 'internal error');
  if (!bad) process.stderr.write(`loralab ui: ${err instanceof Error ? err.message : String(err)}\n`);
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
