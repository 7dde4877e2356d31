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
  /** Time spent running in the segments that have ended (each start or resume to its end), in ms. */
  activeMs: number;
  /** When the segment under way started (the last start or resume); null while queued or ended. */
  segmentStartedAt: number | null;
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
  /**
   * Newest first. get() and list() reconcile: a run queued or running whose owner
   * process is gone is marked (or, where the registry cannot be written, reported) crashed.
   */
  list(options?: { limit?: number; status?: RunStatus }): RunRow[];
  /** The ids of the runs started from this one (parent_run_id), oldest first. */
  children(id: number): number[];
  /** Marks every orphaned queued or running run crashed; returns their ids. */
  reconcileOrphans(): number[];
  /**
   * Queues a failed, stopped or crashed run again, owned by `owner` (default: this
   * process), to be resumed. Exactly one of several concurrent claims wins; the
   * others get REGISTRY_INVALID_TRANSITION naming the status they found.
   */
  claim(id: number, owner?: number): void;
  /** The engine `pid` takes a queued run that `owner` (default: its caller or the caller's parent) queued. */
  markRunning(id: number, pid: number, owner?: number): void;
  /**
   * Sets a final status (completed, failed, stopped, crashed) with an optional error.
   * With `pid`, only while that process owns the run (an engine finishing its own run).
   */
  finish(id: number, status: Exclude<RunStatus, 'queued' | 'running'>, error?: string | null, pid?: number | null): void;
  /**
   * Marks the run crashed only if it is still queued or running — and, with `pids`,
   * only while one of them (or nobody) owns it; returns whether it did.
   */
  markCrashedIfActive(id: number, reason: string, pids?: readonly number[]): boolean;
  /** The last recorded loss and its step, or null when there is none. */
  lastLoss(id: number): { step: number; value: number } | null;
  /**
   * Deletes the run and (by cascade) its metrics, checkpoints and tags; a run that
   * is queued or running is refused (REGISTRY_INVALID_TRANSITION). Children keep
   * their rows with parentRunId null; artifacts are the caller's to remove.
   */
  delete(id: number): void;
}

export interface MetricSeriesRow {
  name: string;
  steps: number[];
  /** ±Infinity as numbers, as stored. */
  values: number[];
  wallTimes: number[];
  /** Points of the series in the range read; more than steps.length when reduced. */
  total: number;
}

export interface MetricsRepo {
  /** Appends points in one transaction; a repeated (run, name, step) replaces the old value. */
  append(runId: number, points: readonly RecordedMetricPoint[]): void;
  /** Points of one run ordered by step then name, optionally only those after a step. */
  forRun(runId: number, options?: { afterStep?: number; names?: readonly string[] }): RecordedMetricPoint[];
  /**
   * Each metric of one run (or only `names`) as columns in step order, by name; only
   * the steps after `afterStep`; series without such points are left out. With
   * maxPoints, a longer series is reduced to the first, last, minimum and maximum
   * of each of maxPoints / 4 step ranges (repos/downsample.ts); `total` counts the
   * points it stands for.
   */
  series(runId: number, options?: { afterStep?: number; names?: readonly string[]; maxPoints?: number }): MetricSeriesRow[];
  /** Rows inserted after `afterId` (any run), oldest first, at most `limit`. */
  tail(afterId: number, limit?: number): MetricRow[];
  /** The largest metric row id so far (0 when empty). */
  maxId(): number;
  /** The smallest value of one metric of a run (the best eval loss), or null when it has none. */
  minValue(runId: number, name: string): number | null;
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
  /** Records an artifact; one already recorded for the same run, kind and path is updated (same id, new meta and time). */
  add(a: { runId: number | null; kind: string; path: string; meta?: Record<string, unknown> }): ArtifactRow;
  forRun(runId: number): ArtifactRow[];
  /** The newest artifact recorded at `path` (to find the run an adapter folder came from). */
  findByPath(path: string): ArtifactRow | undefined;
  /** Artifacts of any run, newest first (recent model folders). */
  list(options?: { kind?: string; limit?: number }): ArtifactRow[];
  remove(id: number): void;
}

export interface TagsRepo {
  add(runId: number, tag: string): void;
  remove(runId: number, tag: string): void;
  forRun(runId: number): string[];
}

/** One adapted matrix's rank at one masking step (AdaLoRA). */
export interface RankRow {
  step: number;
  module: string;
  rank: number;
}

export interface RanksRepo {
  /** Records the ranks of one masking step in one transaction (a repeated step replaces its rows). */
  record(runId: number, step: number, ranks: readonly { module: string; rank: number }[]): void;
  /** Every recorded rank of a run, by step then module. */
  forRun(runId: number): RankRow[];
  /** The ranks at the run's last masking step, by module (empty when none were recorded). */
  final(runId: number): { step: number; module: string; rank: number }[];
}

export interface Registry {
  readonly path: string;
  readonly schemaVersion: number;
  readonly runs: RunsRepo;
  readonly metrics: MetricsRepo;
  readonly checkpoints: CheckpointsRepo;
  readonly artifacts: ArtifactsRepo;
  readonly tags: TagsRepo;
  readonly ranks: RanksRepo;
  close(): void;
}
