import { useEffect } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { LossChart } from '../../components/LossChart';
import { RunConfig } from './RunConfig';
import { RunHeader } from './RunHeader';
import { RunProgress } from './RunProgress';
import { progressView } from './progress';
import { useLiveMetrics } from './useLiveMetrics';
import { useRun } from './useRun';
import { useRunProgress } from './useRunProgress';

/** One run, live. Rendered with key={runId}, so a different run starts from fresh state. */
export function RunPage({ runId }: { runId: number }) {
  const { run, error, notFound } = useRun(runId);
  const { series, error: metricsError } = useLiveMetrics(runId);
  const progress = useRunProgress(runId);

  useEffect(() => {
    document.title = run ? `${run.name} (#${run.id}) — LoRA Lab` : `Run #${runId} — LoRA Lab`;
  }, [run, runId]);

  const loss = series.get('loss');
  const view = progressView(progress, loss?.[loss.length - 1], run?.config, run?.status);
  const failed = run && (run.status === 'failed' || run.status === 'crashed');

  return (
    <div className="page" data-testid="run-page" data-run-id={runId}>
      <p>
        <a href="#/">← All runs</a>
      </p>
      {notFound && !run ? (
        <ErrorMessage testId="run-load-error">Run #{runId} does not exist.</ErrorMessage>
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
      <section className="card">
        <h2>Loss</h2>
        {metricsError && <ErrorMessage testId="metrics-error">Could not load the metrics so far: {metricsError}</ErrorMessage>}
        <LossChart series={series} />
      </section>
      {run && <RunConfig config={run.config} />}
    </div>
  );
}
