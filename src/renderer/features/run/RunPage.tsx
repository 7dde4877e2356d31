import { methodInfo } from '../../../shared/config/methods';
import { useEffect, useMemo } from 'react';
import { ACTIVE_STATUSES } from '../../../shared/ipc/schemas';
import { METRIC } from '../../../shared/ipc/metric-names';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ArtifactsCard } from './ArtifactsCard';
import { CheckpointsCard } from './CheckpointsCard';
import { LineageCard } from './LineageCard';
import { MemoryCard } from './MemoryCard';
import { RankHeatmapCard } from './RankHeatmap';
import { RunCharts } from './RunCharts';
import { RunConfig } from './RunConfig';
import { RunHeader } from './RunHeader';
import { RunHistoryCard } from './RunHistoryCard';
import { RunProgress } from './RunProgress';
import { curveSpeed, progressView } from './progress';
import { runHistory } from './run-history';
import { useLiveMetrics } from './useLiveMetrics';
import { useRun } from './useRun';
import { useRunProgress } from './useRunProgress';

/** One run, live. Rendered with key={runId}, so a different run starts from fresh state. */
export function RunPage({ runId }: { runId: number }) {
  const { run, error, notFound, seen } = useRun(runId);
  const { series, error: metricsError, reduced, loadAll } = useLiveMetrics(runId);
  const progress = useRunProgress(runId);

  useEffect(() => {
    document.title = run ? `${run.name} (#${run.id}) — LoRA Lab` : `Run #${runId} — LoRA Lab`;
  }, [run, runId]);

  const loss = series.get(METRIC.loss);
  const speed = useMemo(() => curveSpeed(loss ?? [], series.get(METRIC.tokensPerSecond)), [loss, series]);
  const view = progressView(progress, loss?.[loss.length - 1], run?.config, run?.status, speed);
  const failed = run && (run.status === 'failed' || run.status === 'crashed');
  const history = useMemo(() => (run ? runHistory(run, series, seen) : []), [run, series, seen]);
  // A run that is not in the registry has no metrics either: one message, no empty charts.
  const missing = notFound && !run;

  return (
    <div className="page" data-testid="run-page" data-run-id={runId}>
      <p className="back">
        <a href="#/">← All runs</a>
      </p>
      {missing ? (
        <ErrorMessage testId="run-load-error">Run #{runId} does not exist in this registry (it may have been deleted).</ErrorMessage>
      ) : (
        error && <ErrorMessage testId="run-load-error">Could not load run #{runId}: {error}</ErrorMessage>
      )}
      {!run && !error && <p className="muted">Loading run #{runId}…</p>}
      {run && (
        <>
          <RunHeader run={run} />
          {failed && (
            <ErrorMessage testId="run-error">
              Run {run.status}: {run.error ?? 'no reason was recorded.'}
            </ErrorMessage>
          )}
          <RunProgress view={view} />
        </>
      )}
      {metricsError && !missing && <ErrorMessage testId="metrics-error">Could not load the metrics so far: {metricsError}</ErrorMessage>}
      {!missing && (
        <RunCharts
          metrics={series}
          runId={runId}
          reduced={reduced}
          onLoadAll={loadAll}
          endedEmpty={run !== null && !ACTIVE_STATUSES.includes(run.status) && run.lastStep === null}
        />
      )}
      {run && methodInfo(run.method).budgetedRank && <RankHeatmapCard runId={runId} active={ACTIVE_STATUSES.includes(run.status)} />}
      {run && <MemoryCard metrics={series} />}
      {run && (
        <>
          <CheckpointsCard run={run} />
          <div className="two-col">
            <div>
              <ArtifactsCard run={run} />
              <LineageCard run={run} />
            </div>
            <RunHistoryCard entries={history} />
          </div>
        </>
      )}
      {run && <RunConfig config={run.config} />}
    </div>
  );
}
