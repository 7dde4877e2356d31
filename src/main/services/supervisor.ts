// The run supervisor: forks one engine process per run, relays its progress,
// stops it on request, and — when an engine dies without recording an outcome
// (SIGKILL, OOM, a native crash) — marks the run crashed with the reason. The
// registry stays consistent because the engine's writes are SQLite transactions
// and the crash mark is one conditional UPDATE on the engine's pid. Nothing an
// engine does (dying, a broken pipe) and no registry failure throws out of the
// handlers here, which run outside any caller's try/catch.
import type { ChildProcess } from 'node:child_process';
import { basename, dirname, extname, join } from 'node:path';
import type { FromEngine, RunJob } from '../engine/protocol';
import { forkEngine, sendToEngine } from './engine-fork';
import type { Registry } from '../registry/index';
import type { EventHub } from './event-hub';

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
}

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
    const job: RunJob = {
      type: 'run',
      runId,
      registryPath: this.opts.registry.path,
      backend: this.opts.backend,
      runDir: this.runDir(runId),
      resumeFrom: from.resumeFrom ?? null,
      initFrom: from.initFrom ?? null,
    };
    const { child, exited: ended } = forkEngine(this.opts.engineEntry, job, (msg) => this.relay(msg), `the engine of run ${runId}`, { stdout: 'inherit' });
    const exited = ended.then(({ code, signal, stderrTail }) => {
      this.active.delete(runId);
      this.onExit(runId, child.pid, code, signal, stderrTail);
    });
    this.active.set(runId, { child, exited });
    return child.pid ?? -1;
  }

  /** Asks the engine to stop after its current step; kills it after the grace period. */
  stop(runId: number): boolean {
    const a = this.active.get(runId);
    if (!a) return false;
    if (!a.child.connected || !sendToEngine(a.child, { type: 'stop' })) a.child.kill('SIGTERM');
    const timer = setTimeout(() => a.child.kill('SIGKILL'), this.opts.stopGraceMs ?? 15_000);
    void a.exited.then(() => clearTimeout(timer));
    return true;
  }

  /** The backend preference every engine gets ('auto', 'wasm', ...; undefined: LORALAB_BACKEND or auto). */
  get backend(): string | undefined {
    return this.opts.backend;
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
    } else if (msg.type === 'finished') hub.emit('onRunStatus', { runId: msg.runId, status: msg.status, error: msg.error });
  }

  /**
   * Runs in a child process's 'exit' handler, where an exception would end this
   * process: a registry that cannot be written (SQLITE_FULL on a full disk) is
   * reported in one line, and the run is announced crashed anyway — the registry
   * still says running, and the next reader reconciles it (its engine is gone).
   */
  private onExit(runId: number, pid: number | undefined, code: number | null, signal: NodeJS.Signals | null, stderrTail: string[]): void {
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const last = stderrTail.at(-1);
    const reason = `engine process ${how} before recording an outcome${last ? ` (last output: ${last})` : ''}`;
    let marked: boolean;
    try {
      // Only while the run is still this engine's (or queued by this process).
      marked = this.opts.registry.runs.markCrashedIfActive(runId, reason, pid === undefined ? [process.pid] : [pid, process.pid]);
    } catch (err) {
      process.stderr.write(`loralab: ${registryFailure(this.opts.registry.path, `record run ${runId} as crashed`, err)}\n`);
      marked = true;
    }
    if (marked) this.opts.hub.emit('onRunStatus', { runId, status: 'crashed', error: reason });
  }
}

/** "registry <file>: could not <what>: database or disk is full" — the cause, never a stack. */
export function registryFailure(path: string, what: string, err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const why = code === 'SQLITE_FULL' ? 'the disk is full' : err instanceof Error ? err.message : String(err);
  return `registry ${path}: could not ${what}: ${why}`;
}

/**
 * Marks runs crashed whose owner is gone although the registry says they are
 * active (the app or machine went down with them). Every read of runs does the
 * same (RunsRepo.get/list); this does it for all of them at once, at start-up.
 */
export function reconcileOrphans(registry: Registry): number[] {
  return registry.runs.reconcileOrphans();
}

