// Run services: what the contract's runs.* channels promise, composed from the
// registry and the supervisor. Used alike by the CLI, Electron and `loralab ui`.
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
    const parentRunId = typeof resolved.init_from === 'number' ? resolved.init_from : null;
    if (parentRunId !== null) this.require(parentRunId);
    const run = this.registry.runs.create({ name: resolved.name, method: resolved.method, config: resolved, parentRunId });
    this.hub.emit('onRunStatus', { runId: run.id, status: 'queued', error: null });
    this.supervisor.start(run.id);
    return { runId: run.id };
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
