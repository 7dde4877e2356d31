// Transport over the WebSocket of `loralab ui`. Frames (see wsRequestFrameSchema):
//   client → server  { id, channel, payload }
//   server → client  { id, result }  or  { event, payload }
// Requests made while disconnected wait in a queue and go out when the socket opens;
// a request already sent when the socket drops is answered with an error, because
// resending could repeat a side effect (runs.start). The socket reconnects with backoff
// until the server refuses the token.
//
// A browser hides why a WebSocket handshake failed (a 401 and a dead server both read
// as close code 1006), so when a socket fails before opening, `probe` asks whether the
// server answers plain HTTP: if it does, it refused us (a wrong token, or a restarted
// `loralab ui` with a new one) and retrying cannot help.
import type { Transport } from '../../shared/ipc/client';
import { fail, type Result } from '../../shared/ipc/result';
import { reconnectDelay } from './backoff';
import { createConnectionStore, type ConnectionState, type ConnectionStore } from './connection';

export interface SocketHandlers {
  open(): void;
  message(data: string): void;
  close(code: number, reason: string): void;
}

export interface Socket {
  send(data: string): void;
  close(): void;
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => Socket;

/** Close codes with which the server says "not with this token"; retrying cannot help. */
export const REFUSAL_CODES: ReadonlySet<number> = new Set([1008, 4401, 4403]);

export interface WebSocketTransportOptions {
  url: string;
  openSocket: SocketFactory;
  schedule?: (run: () => void, ms: number) => void;
  delay?: (attempt: number) => number;
  /** Resolves true when the server is up (it answers HTTP); see the header. */
  probe?: () => Promise<boolean>;
}

export const REFUSED_MESSAGE =
  'The LoRA Lab server is running but did not accept this page\'s access token. A restarted `loralab ui` prints a new address.';

export interface WebSocketTransport extends Transport {
  readonly connection: ConnectionStore;
  /** Closes the socket for good (tests, page teardown). */
  dispose(): void;
}

interface Pending {
  channel: string;
  frame: string;
  sent: boolean;
  resolve(result: Result<unknown>): void;
}

/** Any HTTP answer from the page's own server, even a 404, means it is up. */
export const probeServer = (): Promise<boolean> =>
  fetch(new URL('./', window.location.href), { cache: 'no-store' }).then(
    (response) => {
      void response.body?.cancel();
      return true;
    },
    () => false,
  );

export const browserSocket: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.onopen = () => handlers.open();
  ws.onmessage = (e) => {
    if (typeof e.data === 'string') handlers.message(e.data);
  };
  ws.onclose = (e) => handlers.close(e.code, e.reason);
  return { send: (data) => ws.send(data), close: () => ws.close() };
};

export function createWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const schedule = options.schedule ?? ((run, ms) => void setTimeout(run, ms));
  const delay = options.delay ?? reconnectDelay;
  const connection = createConnectionStore({ state: { kind: 'connecting' }, generation: 0 });
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let socket: Socket | null = null;
  let isOpen = false;
  let everOpened = false;
  let failures = 0;
  let refusal: string | null = null;
  let disposed = false;
  let nextId = 1;

  const setState = (state: ConnectionState, generation = connection.get().generation) =>
    connection.set({ state, generation });

  function connect() {
    if (disposed || refusal !== null) return;
    try {
      socket = options.openSocket(options.url, { open: onOpen, message: onMessage, close: onClose });
    } catch (err) {
      // Only a malformed URL or a policy block throws here; neither heals by retrying.
      refuse(`Cannot open a WebSocket to ${options.url}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  function onOpen() {
    isOpen = true;
    everOpened = true;
    failures = 0;
    setState({ kind: 'open' }, connection.get().generation + 1);
    for (const p of pending.values()) {
      if (!p.sent) send(p);
    }
  }

  function send(p: Pending) {
    socket?.send(p.frame);
    p.sent = true;
  }

  function onMessage(data: string) {
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return; // not ours to answer: a bad frame must not take the page down
    }
    if (typeof frame !== 'object' || frame === null) return;
    const f = frame as Record<string, unknown>;
    if (typeof f.id === 'number') {
      const p = pending.get(f.id);
      if (!p) return;
      pending.delete(f.id);
      p.resolve(isResult(f.result) ? f.result : fail('INTERNAL', `The server sent a malformed reply to ${p.channel}.`));
    } else if (typeof f.event === 'string') {
      for (const l of [...listeners]) {
        try {
          l(f.event, f.payload);
        } catch (err) {
          console.error(`listener for ${f.event} failed`, err);
        }
      }
    }
  }

  function onClose(code: number, reason: string) {
    const opened = isOpen;
    socket = null;
    isOpen = false;
    for (const [id, p] of pending) {
      if (!p.sent) continue;
      pending.delete(id);
      p.resolve(fail('INTERNAL', `The connection to the LoRA Lab server was lost before it answered ${p.channel}.`));
    }
    if (disposed) return;
    if (REFUSAL_CODES.has(code)) return refuse(reason || REFUSED_MESSAGE);
    failures += 1;
    const retryInMs = delay(failures);
    setState({ kind: 'reconnecting', attempt: failures, retryInMs, everOpened });
    if (opened || !options.probe) return schedule(connect, retryInMs);
    options.probe().then(
      (reachable) => {
        if (disposed) return;
        if (reachable) refuse(REFUSED_MESSAGE);
        else schedule(connect, retryInMs);
      },
      () => schedule(connect, retryInMs),
    );
  }

  function refuse(reason: string) {
    refusal = reason;
    setState({ kind: 'refused', reason });
    for (const [id, p] of pending) {
      pending.delete(id);
      p.resolve(fail('INTERNAL', reason));
    }
  }

  connect();

  return {
    connection,
    invoke(channel, payload) {
      if (refusal !== null) return Promise.resolve(fail('INTERNAL', refusal));
      if (disposed) return Promise.resolve(fail('INTERNAL', 'The connection is closed.'));
      const id = nextId++;
      const frame = JSON.stringify({ id, channel, payload });
      return new Promise((resolve) => {
        const p: Pending = { channel, frame, sent: false, resolve };
        pending.set(id, p);
        if (isOpen) send(p);
      });
    },
    subscribe(listener) {
      // Wrap so that subscribing the same function twice gives two independent subscriptions.
      const wrapped = (event: string, payload: unknown) => listener(event, payload);
      listeners.add(wrapped);
      return () => listeners.delete(wrapped);
    },
    dispose() {
      disposed = true;
      socket?.close();
      for (const [id, p] of pending) {
        pending.delete(id);
        p.resolve(fail('INTERNAL', 'The connection is closed.'));
      }
    },
  };
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  if (r.ok === true) return true;
  return r.ok === false && typeof r.error === 'object' && r.error !== null && typeof (r.error as Record<string, unknown>).message === 'string';
}
