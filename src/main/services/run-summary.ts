// A run's summary row, computed from the registry and the run's output folder:
// best eval loss from the metrics, rank from the config, adapter size and
// parameter count from the saved adapter (or full model) folder's files and
// safetensors headers. The numbers are cached by path and modification time (a
// resumed run rewrites its adapter folder in place, by rename).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { METRIC } from '../../shared/ipc/metric-names';
import type { RunSummary } from '../../shared/ipc/schemas';
import { methodInfo } from '../../shared/config/methods';
import { readHeader } from '../engine/io/safetensors/index';
import type { ArtifactRow, Registry, RunRow } from '../registry/index';

/** The artifact kinds a training run writes as its result. */
export const RESULT_KINDS = ['adapter', 'model'] as const;

interface FolderNumbers {
  bytes: number;
  params: number | null;
}
const folderCache = new Map<string, FolderNumbers>();

/** Total bytes of the files in a folder (or of one file), and the parameters in its safetensors files. */
export function folderNumbers(path: string): FolderNumbers | null {
  const top = statSync(path, { throwIfNoEntry: false });
  if (!top) return null; // deleted or moved since it was recorded
  const key = `${path}\0${top.mtimeMs}`;
  const cached = folderCache.get(key);
  if (cached) return cached;
  let entries: string[];
  try {
    entries = top.isDirectory() ? readdirSync(path).map((f) => join(path, f)) : [path];
  } catch {
    return null;
  }
  let bytes = 0;
  let params: number | null = null;
  for (const file of entries) {
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st?.isFile()) continue;
    bytes += st.size;
    if (!file.endsWith('.safetensors')) continue;
    try {
      for (const t of readHeader(file).tensors.values()) params = (params ?? 0) + t.shape.reduce((a, b) => a * b, 1);
    } catch {
      // A damaged file still counts its bytes; the parameter count stays unknown.
    }
  }
  const numbers = { bytes, params };
  folderCache.set(key, numbers);
  return numbers;
}

/** LoRA/QLoRA r, AdaLoRA init_r (the rank its matrices start with), null for full fine-tuning. */
export function rankOf(run: Pick<RunRow, 'method' | 'config'>): number | null {
  return methodInfo(run.method).rank(run.config);
}

export function resultArtifact(artifacts: readonly ArtifactRow[]): ArtifactRow | undefined {
  return artifacts.filter((a) => (RESULT_KINDS as readonly string[]).includes(a.kind)).at(-1);
}

/**
 * The time a run has spent running: its ended segments (start or resume to finish,
 * stop or crash) plus the one under way, up to `now`; the time it sat stopped or
 * queued between them is not counted. Null for a run that never started.
 */
export function activeDurationMs(run: Pick<RunRow, 'startedAt' | 'endedAt' | 'activeMs' | 'segmentStartedAt'>, now = Date.now()): number | null {
  if (run.startedAt === null) return null;
  // An open segment ends at ended_at where a reader reported the run crashed without recording it.
  const open = run.segmentStartedAt === null ? 0 : Math.max(0, (run.endedAt ?? now) - run.segmentStartedAt);
  return run.activeMs + open;
}

export function toSummary(registry: Registry, run: RunRow, now = Date.now()): RunSummary {
  const last = registry.runs.lastLoss(run.id);
  const result = resultArtifact(registry.artifacts.forRun(run.id));
  const numbers = result ? folderNumbers(result.path) : null;
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
    baseModel: typeof run.config.model === 'string' ? run.config.model : '',
    rank: rankOf(run),
    bestEvalLoss: registry.metrics.minValue(run.id, METRIC.evalLoss),
    durationMs: activeDurationMs(run, now),
    adapterBytes: numbers?.bytes ?? null,
    tags: registry.tags.forRun(run.id),
    trainableParams: numbers?.params ?? null,
  };
}
