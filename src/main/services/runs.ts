// Run services: what the contract's runs.* channels promise, composed from the
// registry and the supervisor. Used alike by the CLI, Electron and `loralab ui`.
import { existsSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { RunConfig } from '../../shared/config/run-config';
import type { RankPoint, RunDetail, RunSummary } from '../../shared/ipc/schemas';
import { LoraLabError } from '../../shared/ipc/result';
import type { Registry, RunRow } from '../registry/index';
import { checkRunConfig } from '../engine/adapters/registry';
import { isEngineProcess } from '../engine/io/pid';
import { signalEngine } from './engine-signal';
import type { EventHub } from './event-hub';
import { toSummary } from './run-summary';
import { checkRunBounds } from './run-bounds';
import type { Supervisor } from './supervisor';

export { toSummary } from './run-summary';

/** Resolves the config's file paths against `baseDir` so a stored run is self-contained. */
export function resolveConfigPaths(config: RunConfig, baseDir: string): RunConfig {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const initFrom = typeof config.init_from === 'string' ? abs(config.init_from) : config.init_from;
  return {
    ...config,
    model: abs(config.model),
    data: { ...config.data, train: abs(config.data.train), eval: config.data.eval === null ? null : abs(config.data.eval) },
    init_from: initFrom,
  };
}

/** Checks what the schema cannot: the files a config names exist. Each problem names its config path. */
export function checkConfigFiles(config: RunConfig): void {
  const issues: { path: string; message: string }[] = [];
  if (!existsSync(join(config.model, 'config.json'))) {
    issues.push({ path: 'config.model', message: `${config.model} is not a model folder (it has no config.json)` });
  }
  const file = (path: string, value: string | null) => {
    if (value !== null && !statSync(value, { throwIfNoEntry: false })?.isFile()) issues.push({ path, message: `${value}: no such data file` });
  };
  file('config.data.train', config.data.train);
  file('config.data.eval', config.data.eval);
  if (issues.length) throw new LoraLabError('VALIDATION', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

/** How long an engine signalled by stop() gets before SIGKILL. */
const STOP_GRACE_MS = 15_000;
const WATCH_EVERY_MS = 200;

export class RunsService {
  private readonly watched = new Set<number>();

  constructor(
    private readonly registry: Registry,
    private readonly supervisor: Supervisor,
    private readonly hub: EventHub,
  ) {}

  list(): RunSummary[] {
    const now = Date.now();
    return this.registry.runs.list().map((r) => toSummary(this.registry, r, now));
  }

  get(runId: number): RunDetail {
    const run = this.require(runId);
    const lineage: number[] = [];
    for (let p = run.parentRunId; p !== null && !lineage.includes(p); p = this.registry.runs.get(p)?.parentRunId ?? null) lineage.push(p);
    return {
      ...toSummary(this.registry, run),
      config: run.config,
      checkpoints: this.registry.checkpoints.forRun(runId).map(({ step, path, bytes, createdAt }) => ({ step, path, bytes, createdAt })),
      artifacts: this.registry.artifacts.forRun(runId).map(({ id, kind, path, meta, createdAt }) => ({ id, kind, path, meta, createdAt })),
      children: this.registry.runs.children(runId),
      lineage,
      pid: run.pid,
      engineAlive: this.supervisor.isActive(runId) || (run.pid !== null && isEngineProcess(run.pid)),
    };
  }

  /** Records a queued run and hands it to a new engine process. */
  start(config: RunConfig, baseDir: string): { runId: number } {
    const resolved = resolveConfigPaths(config, baseDir);
    checkConfigFiles(resolved);
    checkRunBounds(resolved, this.supervisor.backend);
    const parent = this.resolveInitFrom(resolved.init_from);
    // The method's own checks (and whether an init_from adapter can continue under this
    // config) refuse the run before it is recorded: a config error, never a failed run.
    const issues = checkRunConfig(resolved, parent?.adapterDir ?? null).map((i) => ({ path: ['config', ...i.path].join('.'), message: i.message }));
    if (issues.length) throw new LoraLabError('VALIDATION', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
    const run = this.registry.runs.create({
      name: resolved.name,
      method: resolved.method,
      config: resolved,
      parentRunId: parent?.runId ?? null,
    });
    this.hub.emit('onRunStatus', { runId: run.id, status: 'queued', error: null });
    this.supervisor.start(run.id, { initFrom: parent?.adapterDir ?? null });
    return { runId: run.id };
  }

  /**
   * init_from as a run id (its adapter) or an adapter folder; the parent run is
   * recorded when the folder is one LoRA Lab wrote, so lineage survives either form.
   */
  private resolveInitFrom(initFrom: RunConfig['init_from']): { runId: number | null; adapterDir: string } | null {
    if (initFrom === null) return null;
    if (typeof initFrom === 'number') {
      this.require(initFrom);
      const adapter = this.registry.artifacts.forRun(initFrom).filter((a) => a.kind === 'adapter').at(-1);
      if (!adapter) throw new LoraLabError('NOT_FOUND', `init_from: run ${initFrom} has no adapter yet (it has not finished or been stopped)`);
      return { runId: initFrom, adapterDir: adapter.path };
    }
    // A checkpoint folder (the run page's "Continue from here") holds the PEFT adapter
    // as of its step in adapter/; its run is the parent.
    const checkpoint = this.registry.runs
      .list()
      .flatMap((r) => this.registry.checkpoints.forRun(r.id))
      .find((c) => resolve(c.path) === resolve(initFrom));
    if (checkpoint && existsSync(join(initFrom, 'adapter', 'adapter_config.json'))) {
      return { runId: checkpoint.runId, adapterDir: join(initFrom, 'adapter') };
    }
    if (!existsSync(join(initFrom, 'adapter_config.json'))) {
      throw new LoraLabError('NOT_FOUND', `init_from: ${initFrom} is not an adapter folder or a checkpoint of this registry (no adapter_config.json)`);
    }
    return { runId: this.registry.artifacts.findByPath(initFrom)?.runId ?? null, adapterDir: initFrom };
  }

  /**
   * Continues a stopped, crashed or failed run from its newest checkpoint (the run
   * id, or that checkpoint's folder): same run id, same curve, the engine picks up
   * the exact state. An older checkpoint is refused (CONFLICT): continuing the same
   * run from it would overwrite what came after; a new run with init_from does not.
   */
  resume(target: number | string): { runId: number; checkpoint: string } {
    let runId: number;
    let checkpoint: string;
    if (typeof target === 'number') {
      runId = this.require(target).id;
      const latest = this.registry.checkpoints.latest(runId);
      if (!latest) throw new LoraLabError('NOT_FOUND', `run ${runId} has no checkpoint to resume from`);
      checkpoint = latest.path;
    } else {
      const found = this.registry.runs
        .list()
        .flatMap((r) => this.registry.checkpoints.forRun(r.id))
        .find((c) => resolve(c.path) === resolve(target));
      if (!found) throw new LoraLabError('NOT_FOUND', `${target} is not a checkpoint recorded in this registry`);
      // Resuming continues the same run, writing the steps after the checkpoint again:
      // from an older checkpoint that would overwrite the later checkpoint folders and
      // metrics of the same run. A new run from it (init_from) keeps them all.
      const newest = this.registry.checkpoints.latest(found.runId);
      if (newest && newest.step > found.step) {
        throw new LoraLabError(
          'CONFLICT',
          `${found.path} is run ${found.runId}'s checkpoint at step ${found.step}, not its newest (step ${newest.step}): resuming from it would train over the later checkpoints and metrics. ` +
            `Start a new run from it instead (the run page's "Continue from here", or init_from: ${found.path}); resume continues only from the newest.`,
        );
      }
      runId = found.runId;
      checkpoint = found.path;
    }
    const run = this.require(runId);
    if (run.status === 'running' || run.status === 'queued') throw new LoraLabError('CONFLICT', `run ${runId} is ${run.status}; stop it before resuming`);
    if (run.status === 'completed') throw new LoraLabError('CONFLICT', `run ${runId} has completed; start a new run with init_from: ${runId} to continue training it`);
    // The checks above explain; the claim decides. It is one compare-and-set in the
    // registry, so of two resumes at once (two windows, a double click, two CLIs)
    // exactly one wins and the other changes nothing.
    try {
      this.registry.runs.claim(runId);
    } catch {
      const now = this.registry.runs.get(runId);
      throw new LoraLabError('CONFLICT', `run ${runId} is ${now?.status ?? 'gone'}; another resume took it first`);
    }
    this.supervisor.start(runId, { resumeFrom: checkpoint });
    return { runId, checkpoint };
  }

  /**
   * Stops a run whoever started it: through this process's supervisor when it
   * owns the engine, else by signalling the engine pid the registry records
   * (SIGTERM: stop after the step; SIGKILL after a grace period). The outcome is
   * watched in the registry and announced as onRunStatus.
   */
  stop(runId: number): { stopping: boolean } {
    const run = this.require(runId);
    if (this.supervisor.stop(runId)) return { stopping: true };
    if ((run.status !== 'running' && run.status !== 'queued') || run.pid === null) return { stopping: false };
    const pid = run.pid;
    if (!signalEngine(pid, 'SIGTERM')) return { stopping: false };
    this.watchUntilFinal(runId, pid);
    return { stopping: true };
  }

  private watchUntilFinal(runId: number, pid: number): void {
    if (this.watched.has(runId)) return;
    this.watched.add(runId);
    const killAt = Date.now() + STOP_GRACE_MS;
    const timer = setInterval(() => {
      let row: RunRow | undefined;
      try {
        row = this.registry.runs.get(runId);
        if (row && (row.status === 'running' || row.status === 'queued')) {
          if (!isEngineProcess(pid)) {
            // Gone without recording an outcome, and its own supervisor (if any) did not either.
            const reason = `engine process ${pid} exited after a stop request without recording an outcome`;
            if (this.registry.runs.markCrashedIfActive(runId, reason)) this.hub.emit('onRunStatus', { runId, status: 'crashed', error: reason });
          } else if (Date.now() > killAt) signalEngine(pid, 'SIGKILL');
          return;
        }
      } catch {
        // The registry closed under us (the process is quitting): stop watching.
      }
      clearInterval(timer);
      this.watched.delete(runId);
      if (row) this.hub.emit('onRunStatus', { runId, status: row.status, error: row.error });
    }, WATCH_EVERY_MS);
    timer.unref();
  }

  /** Deletes a run's registry rows and its run folder (and the artifacts inside it); refuses an active run. */
  delete(runId: number): { deleted: true } {
    const run = this.require(runId);
    if (run.status === 'running' || run.status === 'queued' || this.supervisor.isActive(runId)) {
      throw new LoraLabError('CONFLICT', `run ${runId} is ${run.status}; stop it before deleting it`);
    }
    const dir = this.supervisor.runDir(runId);
    const inside = (p: string) => {
      const rel = relative(dir, p);
      return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
    };
    // Artifacts written elsewhere (a merge exported to a folder of the user's choice) outlive the run.
    for (const a of this.registry.artifacts.forRun(runId)) if (inside(resolve(a.path))) this.registry.artifacts.remove(a.id);
    try {
      this.registry.runs.delete(runId);
    } catch (err) {
      throw new LoraLabError('CONFLICT', `run ${runId} cannot be deleted: ${(err as Error).message}`);
    }
    rmSync(dir, { recursive: true, force: true });
    return { deleted: true };
  }

  setTags(runId: number, tags: readonly string[]): { tags: string[] } {
    this.require(runId);
    const wanted = new Set(tags.map((t) => t.trim()));
    const current = this.registry.tags.forRun(runId);
    for (const t of current) if (!wanted.has(t)) this.registry.tags.remove(runId, t);
    for (const t of wanted) if (!current.includes(t)) this.registry.tags.add(runId, t);
    return { tags: this.registry.tags.forRun(runId) };
  }

  /** AdaLoRA ranks per matrix at each masking step (none for other methods). */
  ranks(runId: number): RankPoint[] {
    this.require(runId);
    return this.registry.ranks.forRun(runId);
  }

  require(runId: number): RunRow {
    const run = this.registry.runs.get(runId);
    if (!run) throw new LoraLabError('NOT_FOUND', `run ${runId} does not exist`);
    return run;
  }
}
