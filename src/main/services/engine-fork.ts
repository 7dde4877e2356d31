// Forks an engine process (dist/engine.cjs) for one job and relays its validated
// messages. Shared by the run supervisor, the jobs service and the doctor.
import { fork, type ChildProcess } from 'node:child_process';
import { fromEngineSchema, parseMessage, type FromEngine, type ToEngine } from '../engine/protocol';

export interface ForkedEngine {
  child: ChildProcess;
  /** Resolves with how the process ended and its last stderr lines. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderrTail: string[] }>;
}

const STDERR_LINES = 20;

export function forkEngine(
  entry: string,
  job: ToEngine,
  onMessage: (msg: FromEngine) => void,
  what: string,
  options: { stdout?: 'inherit' | 'ignore' } = {},
): ForkedEngine {
  const env = { ...process.env };
  // Under Electron, fork() runs the Electron binary: make it behave as plain Node.
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  // execArgv: [] so a parent's flags (tsx loaders, --test) do not leak into the engine.
  const child = fork(entry, [], { env, execArgv: [], stdio: ['ignore', options.stdout ?? 'ignore', 'pipe', 'ipc'] });
  const stderrTail: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    process.stderr.write(chunk);
    stderrTail.push(...chunk.split('\n').filter((l) => l.trim() !== ''));
    stderrTail.splice(0, Math.max(0, stderrTail.length - STDERR_LINES));
  });
  child.on('message', (raw: unknown) => {
    const msg = parseMessage(fromEngineSchema, raw, what);
    if (msg) onMessage(msg);
  });
  // A send to an engine that already died fails with EPIPE as an 'error' event; the
  // 'exit' handler records the outcome, so the error itself is not ours to throw.
  child.on('error', () => undefined);
  child.stderr?.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderrTail: string[] }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stderrTail }));
  });
  sendToEngine(child, job);
  return { child, exited };
}

/** Sends to an engine; false when its channel is already closed (it died). */
export function sendToEngine(child: ChildProcess, msg: ToEngine): boolean {
  try {
    return child.send(msg, () => undefined);
  } catch {
    return false;
  }
}

/** "exited with code 1 (last output: …)" for an engine that ended without answering. */
export function describeExit(e: { code: number | null; signal: NodeJS.Signals | null; stderrTail: string[] }): string {
  const how = e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
  const last = e.stderrTail.at(-1);
  return `engine process ${how}${last ? ` (last output: ${last})` : ''}`;
}
