// The one client of this page, on whichever transport the page was opened with:
// the Electron preload bridge when present, else the WebSocket of `loralab ui`.
import { createClient, type Client, type Transport } from '../../shared/ipc/client';
import { fail } from '../../shared/ipc/result';
import { createConnectionStore, type ConnectionStore } from './connection';
import { createElectronTransport } from './electron-transport';
import { NO_TOKEN_MESSAGE, resolveToken, socketUrl, type TokenStorage } from './token';
import { browserSocket, createWebSocketTransport, probeServer } from './websocket-transport';

function sessionStore(): TokenStorage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage blocked by the browser: the URL token alone still works
  }
}

function connect(): { client: Client; connection: ConnectionStore } {
  if (window.loralab) {
    return {
      client: createClient(createElectronTransport(window.loralab)),
      connection: createConnectionStore({ state: { kind: 'open' }, generation: 1 }),
    };
  }
  const token = resolveToken(window.location.search, sessionStore());
  if (!token) {
    const refusing: Transport = {
      invoke: async () => fail('INTERNAL', NO_TOKEN_MESSAGE),
      subscribe: () => () => {},
    };
    return { client: createClient(refusing), connection: createConnectionStore({ state: { kind: 'no-token' }, generation: 0 }) };
  }
  const transport = createWebSocketTransport({
    url: socketUrl(window.location, token),
    openSocket: browserSocket,
    probe: probeServer,
  });
  return { client: createClient(transport), connection: transport.connection };
}

export const { client, connection } = connect();
