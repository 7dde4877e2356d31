// The run's history as the registry records it: no log text is stored for a run
// (the engine's stderr goes to whoever started it), so the page shows what is
// recorded (creation, start, checkpoints, evaluations, the end and its error)
// plus the status changes this page saw live.
import type { RunDetail, RunStatus } from '../../../shared/ipc/schemas';
import { METRIC } from '../../../shared/ipc/metric-names';
import type { MetricSeries } from './metrics-merge';

export interface HistoryEntry {
  at: number;
  text: string;
  tone: 'info' | 'ok' | 'warn' | 'error';
}

export interface SeenStatus {
  at: number;
  status: RunStatus;
  error: string | null;
}

const ENDED: Record<string, HistoryEntry['tone']> = { completed: 'ok', stopped: 'warn', failed: 'error', crashed: 'error' };

export function runHistory(run: RunDetail, metrics: MetricSeries, seen: readonly SeenStatus[]): HistoryEntry[] {
  const out: HistoryEntry[] = [{ at: run.createdAt, text: `created (${run.method} on ${run.baseModel})`, tone: 'info' }];
  if (run.startedAt !== null) out.push({ at: run.startedAt, text: 'engine started', tone: 'info' });
  for (const c of run.checkpoints) out.push({ at: c.createdAt, text: `checkpoint at step ${c.step}`, tone: 'info' });
  for (const p of metrics.get(METRIC.evalLoss) ?? []) out.push({ at: p.wallTime, text: `eval at step ${p.step}: loss ${p.value.toFixed(4)}`, tone: 'info' });
  for (const a of run.artifacts) out.push({ at: a.createdAt, text: `${a.kind} written: ${a.path}`, tone: 'info' });
  for (const s of seen) out.push({ at: s.at, text: `status → ${s.status}${s.error ? `: ${s.error}` : ''}`, tone: ENDED[s.status] ?? 'info' });
  const endSeen = seen.some((s) => s.status === run.status);
  if (run.endedAt !== null && !endSeen) {
    out.push({ at: run.endedAt, text: `${run.status}${run.error ? `: ${run.error}` : ''}`, tone: ENDED[run.status] ?? 'info' });
  }
  return out.sort((a, b) => a.at - b.at);
}
