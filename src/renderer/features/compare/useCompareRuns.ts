import { useEffect, useState } from 'react';
import { METRIC } from '../../../shared/ipc/metric-names';
import type { RunDetail } from '../../../shared/ipc/schemas';
import { client } from '../../api/client';
import { useConnection } from '../../api/useConnection';
import { errorMessage } from '../../lib/errors';
import { chartMaxPoints } from '../run/chart-points';
import { EMPTY_SERIES, mergeMetricColumns, type MetricSeries } from '../run/metrics-merge';

/** What the page shows: the charted metrics, tokens (for the tokens-seen axis) and peak RSS (the summary). */
const COMPARED = [METRIC.loss, METRIC.evalLoss, METRIC.lr, METRIC.gradNorm, METRIC.tokensPerSecond, METRIC.tokens, METRIC.peakRssBytes];

export interface CompareData {
  runs: RunDetail[];
  metrics: MetricSeries[];
}

/**
 * Every compared run's record and metrics, read in parallel. A long series comes
 * reduced to what the charts can draw (the first, last, lowest and highest point of
 * each step range): the envelope, the final values and the extremes the summary
 * needs are exact.
 */
export function useCompareRuns(runIds: readonly number[]): { data: CompareData | null; error: string | null } {
  const { generation } = useConnection();
  const [state, setState] = useState<{ data: CompareData | null; error: string | null }>({ data: null, error: null });
  const key = runIds.join(',');
  useEffect(() => {
    let live = true;
    const ids = key ? key.split(',').map(Number) : [];
    const maxPoints = chartMaxPoints();
    Promise.all(
      ids.map(async (runId) => {
        const [run, columns] = await Promise.all([client.request('runs.get', { runId }), client.request('runs.metrics', { runId, names: COMPARED, maxPoints })]);
        return { run, metrics: mergeMetricColumns(EMPTY_SERIES, columns) };
      }),
    ).then(
      (all) => live && setState({ data: { runs: all.map((a) => a.run), metrics: all.map((a) => a.metrics) }, error: null }),
      (err: unknown) => live && setState((s) => ({ data: s.data, error: errorMessage(err) })),
    );
    return () => {
      live = false;
    };
  }, [key, generation]);
  return state;
}

/**
 * Tokens seen is the running sum of the per-step `tokens` metric, so it needs every
 * step's count, not a reduced series: read exactly, and only once the x axis asks for it.
 */
export function useTokensSeen(runIds: readonly number[], wanted: boolean): { tokens: MetricSeries[] | null; error: string | null } {
  const { generation } = useConnection();
  const [state, setState] = useState<{ key: string; tokens: MetricSeries[] | null; error: string | null }>({ key: '', tokens: null, error: null });
  const key = runIds.join(',');
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    const ids = key ? key.split(',').map(Number) : [];
    Promise.all(ids.map((runId) => client.request('runs.metrics', { runId, names: [METRIC.tokens] }))).then(
      (all) => live && setState({ key, tokens: all.map((columns) => mergeMetricColumns(EMPTY_SERIES, columns)), error: null }),
      (err: unknown) => live && setState({ key, tokens: null, error: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [key, generation, wanted]);
  return state.key === key ? state : { tokens: null, error: null };
}
