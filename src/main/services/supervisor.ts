// The run supervisor: forks one engine process per run, relays its progress,
// stops it on request, and — when an engine dies without recording an outcome
// (SIGKILL, OOM, a native crash) — marks the run crashed with the reason. The
// registry stays consistent because the engine's writes are SQLite transactions
// and the crash mark is one conditional UPDATE.
import { fork, type ChildProcess } from 'node:child_process';
import { basename, dirname, extname, join } from 'node:path';
import type { FromEngine, RunJob } from '../engine/protocol';
import type { Registry } from '../registry/index';
import type { EventHub } from './event-hub';
import { isProcessAlive } from '../engine/io/pid';

export interface SupervisorOptions {
  registry: Registry;
  hub: EventHub;
  engineEntry: string;
  /** Backend preference passed to every engine ('auto', 'wasm', ...). */
  backend?: string;
  /** How long a stopping engine gets before SIGKILL. */
  stopGraceMs?: number;
}

interface Active {
  child: ChildProcess;
  exited: Promise<void>;
  stderrTail: string[];
}

const STDERR_LINES = 20;

export class Supervisor {
  private readonly active = new Map<number, Active>();

  constructor(private readonly opts: SupervisorOptions) {}

  /**
   * The folder where a run's checkpoints and adapter go, beside the registry:
   * `runs/<id>` for the default registry.sqlite, `<name>-runs/<id>` for any other
   * name, so two registries in one folder never share run folders.
   */
  runDir(runId: number): string {
    const stem = basename(this.opts.registry.path, extname(this.opts.registry.path));
    return join(dirname(this.opts.registry.path), stem === 'registry' ? 'runs' : `${stem}-runs`, String(runId));
  }

  /** Forks an engine for a run (fresh, resumed from a checkpoint, or started from an adapter). */
  start(runId: number, from: { resumeFrom?: string | null; initFrom?: string | null } = {}): number {
    const env = { ...process.env };
    // Under Electron, fork() runs the Electron binary: make it behave as plain Node.
    if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
    // execArgv: [] so a parent's flags (tsx loaders, --test) do not leak into the engine.
    const child = fork(this.opts.engineEntry, [], { env, execArgv: [], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    const stderrTail: string[] = [];
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      process.stderr.write(chunk);
      stderrTail.push(...chunk.split('\n').filter((l) => l.trim() !== ''));
      stderrTail.splice(0, Math.max(0, stderrTail.length - STDERR_LINES));
    });
    child.on('message', (msg: FromEngine) => this.relay(msg));
    const exited = new Promise<void>((resolve) => {
      child.on('exit', (code, signal) => {
        this.active.delete(runId);
        this.onExit(runId, code, signal, stderrTail);
        resolve();
      });
    });
    this.active.set(runId, { child, exited, stderrTail });
    const job: RunJob = {
      type: 'run',
      runId,
      registryPath: this.opts.registry.path,
      backend: this.opts.backend,
      runDir: this.runDir(runId),
      resumeFrom: from.resumeFrom ?? null,
      initFrom: from.initFrom ?? null,
    };
    child.send(job);
    return child.pid ?? -1;
  }

  /** Asks the engine to stop after its current step; kills it after the grace period. */
  stop(runId: number): boolean {
    const a = this.active.get(runId);
    if (!a) return false;
    if (a.child.connected) a.child.send({ type: 'stop' });
    else a.child.kill('SIGTERM');
    const timer = setTimeout(() => a.child.kill('SIGKILL'), this.opts.stopGraceMs ?? 15_000);
    void a.exited.then(() => clearTimeout(timer));
    return true;
  }

  isActive(runId: number): boolean {
    return this.active.has(runId);
  }

  pidOf(runId: number): number | undefined {
    return this.active.get(runId)?.child.pid;
  }

  /** Resolves when the run's engine process has exited (at once if none is running). */
  async waitForExit(runId: number): Promise<void> {
    await this.active.get(runId)?.exited;
  }

  /** Stops every engine and waits for them; used when the app or CLI quits. */
  async shutdown(): Promise<void> {
    const ids = [...this.active.keys()];
    ids.forEach((id) => this.stop(id));
    await Promise.all(ids.map((id) => this.waitForExit(id)));
  }

  private relay(msg: FromEngine): void {
    const { hub } = this.opts;
    if (msg.type === 'started') hub.emit('onRunStatus', { runId: msg.runId, status: 'running', error: null });
    else if (msg.type === 'progress') {
      const { type: _type, ...progress } = msg;
      hub.emit('onProgress', progress);
    } else hub.emit('onRunStatus', { runId: msg.runId, status: msg.status, error: msg.error });
  }

  private onExit(runId: number, code: number | null, signal: NodeJS.Signals | null, stderrTail: string[]): void {
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const last = stderrTail.at(-1);
    const reason = `engine process ${how} before recording an outcome${last ? ` (last output: ${last})` : ''}`;
    if (this.opts.registry.runs.markCrashedIfActive(runId, reason)) {
      this.opts.hub.emit('onRunStatus', { runId, status: 'crashed', error: reason });
    }
  }
}

/**
 * Marks runs crashed whose engine is gone although the registry says they are
 * active (the app or machine went down with them). Runs of live engines owned by
 * another process (a CLI in another terminal) are left alone.
 */
export function reconcileOrphans(registry: Registry): number[] {
  const orphans: number[] = [];
  for (const status of ['running', 'queued'] as const) {
    for (const run of registry.runs.list({ status })) {
      if (run.pid !== null && isProcessAlive(run.pid)) continue;
      // A queued run without a pid may be starting right now in another process.
      if (status === 'queued' && Date.now() - run.createdAt < 60_000) continue;
      const reason = run.pid === null ? 'engine never started' : `engine process ${run.pid} is no longer running`;
      if (registry.runs.markCrashedIfActive(run.id, `${reason} (found when the registry was opened)`)) orphans.push(run.id);
    }
  }
  return orphans;
}

