// Run services: what the contract's runs.* channels promise, composed from the
// registry and the supervisor. Used alike by the CLI, Electron and `loralab ui`.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { RunConfig } from '../../shared/config/run-config';
import type { RunDetail, RunSummary } from '../../shared/ipc/schemas';
import { LoraLabError } from '../../shared/ipc/result';
import type { Registry, RunRow } from '../registry/index';
import type { EventHub } from './event-hub';
import type { Supervisor } from './supervisor';

/** Resolves the config's file paths against `baseDir` so a stored run is self-contained. */
export function resolveConfigPaths(config: RunConfig, baseDir: string): RunConfig {
  const abs = (p: string) => (p.startsWith('builtin:') || isAbsolute(p) ? p : resolve(baseDir, p));
  const initFrom = typeof config.init_from === 'string' ? abs(config.init_from) : config.init_from;
  return {
    ...config,
    model: abs(config.model),
    data: { ...config.data, train: abs(config.data.train), eval: config.data.eval === null ? null : abs(config.data.eval) },
    init_from: initFrom,
  };
}

export function toSummary(registry: Registry, run: RunRow): RunSummary {
  const last = registry.runs.lastLoss(run.id);
  return {
    id: run.id,
    name: run.name,
    method: run.method,
    status: run.status,
    parentRunId: run.parentRunId,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    error: run.error,
    lastStep: last?.step ?? null,
    lastLoss: last?.value ?? null,
  };
}

export class RunsService {
  constructor(
    private readonly registry: Registry,
    private readonly supervisor: Supervisor,
    private readonly hub: EventHub,
  ) {}

  list(): RunSummary[] {
    return this.registry.runs.list().map((r) => toSummary(this.registry, r));
  }

  get(runId: number): RunDetail {
    const run = this.require(runId);
    return { ...toSummary(this.registry, run), config: run.config, tags: this.registry.tags.forRun(runId) };
  }

  /** Records a queued run and hands it to a new engine process. */
  start(config: RunConfig, baseDir: string): { runId: number } {
    const resolved = resolveConfigPaths(config, baseDir);
    const parent = this.resolveInitFrom(resolved.init_from);
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
    if (!existsSync(join(initFrom, 'adapter_config.json'))) {
      throw new LoraLabError('NOT_FOUND', `init_from: ${initFrom} is not an adapter folder (no adapter_config.json)`);
    }
    return { runId: this.registry.artifacts.findByPath(initFrom)?.runId ?? null, adapterDir: initFrom };
  }

  /**
   * Continues a stopped, crashed or failed run from its newest checkpoint (or the
   * given checkpoint folder): same run id, same curve, the engine picks up the exact state.
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

  stop(runId: number): { stopping: boolean } {
    this.require(runId);
    return { stopping: this.supervisor.stop(runId) };
  }

  private require(runId: number): RunRow {
    const run = this.registry.runs.get(runId);
    if (!run) throw new LoraLabError('NOT_FOUND', `run ${runId} does not exist`);
    return run;
  }
}

export const skeletonConfigPath = (resources: string): string => join(resources, 'configs', 'skeleton.yaml');
