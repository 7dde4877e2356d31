// `loralab ui`: serves the renderer and the IPC contract over a WebSocket on the
// loopback interface only. A random token, given in the printed URL, is required
// for the socket, and a socket opened from any other origin is refused.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
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
  const http: Server = createServer((req, res) => serveStatic(rendererDir, req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', resolve);
  });
  const actualPort = (http.address() as AddressInfo).port;
  const origins = new Set([`http://127.0.0.1:${actualPort}`, `http://localhost:${actualPort}`]);

  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/ws') return refuse(404, 'Not Found');
    if (!origins.has(req.headers.origin ?? '')) return refuse(403, 'Forbidden');
    if (!sameToken(url.searchParams.get('token') ?? '', token)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => bindSocket(ws, services.router, services.hub));
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

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
