// The registry's public API: what engines, services and the CLI may use.
// Implementation lives beside it (db.ts, migrations/, repos/); only index.ts and
// this file are imported from outside the folder.
import type { RecordedMetricPoint, RunStatus } from '../../shared/ipc/schemas';
import type { Method } from '../../shared/config/run-config';

export interface RunRow {
  id: number;
  name: string;
  method: Method;
  status: RunStatus;
  /** The validated run config, parsed from its stored JSON. */
  config: Record<string, unknown>;
  parentRunId: number | null;
  createdAt: number; // ms since epoch
  startedAt: number | null;
  endedAt: number | null;
  error: string | null;
  /** The engine process working on the run, while it runs. */
  pid: number | null;
}

export interface NewRun {
  name: string;
  method: Method;
  config: Record<string, unknown>;
  parentRunId?: number | null;
}

/** A metric row with its insertion id, for tailing the table. */
export interface MetricRow extends RecordedMetricPoint {
  id: number;
  runId: number;
}

export interface RunsRepo {
  create(run: NewRun): RunRow;
  get(id: number): RunRow | undefined;
  /** Newest first. */
  list(options?: { limit?: number; status?: RunStatus }): RunRow[];
  markRunning(id: number, pid: number): void;
  /** Sets a final status (completed, failed, stopped, crashed) with an optional error. */
  finish(id: number, status: Exclude<RunStatus, 'queued' | 'running'>, error?: string | null): void;
  /** Marks the run crashed only if it is still queued or running; returns whether it did. */
  markCrashedIfActive(id: number, reason: string): boolean;
  /** The last recorded loss and its step, or null when there is none. */
  lastLoss(id: number): { step: number; value: number } | null;
}

export interface MetricsRepo {
  /** Appends points in one transaction; a repeated (run, name, step) replaces the old value. */
  append(runId: number, points: readonly RecordedMetricPoint[]): void;
  /** Points of one run ordered by step then name, optionally only those after a step. */
  forRun(runId: number, options?: { afterStep?: number; names?: readonly string[] }): RecordedMetricPoint[];
  /** Rows inserted after `afterId` (any run), oldest first, at most `limit`. */
  tail(afterId: number, limit?: number): MetricRow[];
  /** The largest metric row id so far (0 when empty). */
  maxId(): number;
}

export interface CheckpointRow {
  id: number;
  runId: number;
  step: number;
  path: string;
  bytes: number | null;
  createdAt: number;
}

export interface CheckpointsRepo {
  add(cp: { runId: number; step: number; path: string; bytes?: number | null }): CheckpointRow;
  forRun(runId: number): CheckpointRow[];
  latest(runId: number): CheckpointRow | undefined;
}

export interface ArtifactRow {
  id: number;
  runId: number | null;
  kind: string; // 'adapter' | 'merged-model' | ...
  path: string;
  meta: Record<string, unknown>;
  createdAt: number;
}

export interface ArtifactsRepo {
  add(a: { runId: number | null; kind: string; path: string; meta?: Record<string, unknown> }): ArtifactRow;
  forRun(runId: number): ArtifactRow[];
  /** The newest artifact recorded at `path` (to find the run an adapter folder came from). */
  findByPath(path: string): ArtifactRow | undefined;
}

export interface TagsRepo {
  add(runId: number, tag: string): void;
  remove(runId: number, tag: string): void;
  forRun(runId: number): string[];
}

export interface Registry {
  readonly path: string;
  readonly schemaVersion: number;
  readonly runs: RunsRepo;
  readonly metrics: MetricsRepo;
  readonly checkpoints: CheckpointsRepo;
  readonly artifacts: ArtifactsRepo;
  readonly tags: TagsRepo;
  close(): void;
}
