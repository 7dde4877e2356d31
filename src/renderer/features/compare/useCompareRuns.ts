import { useEffect, useState } from 'react';
import type { RunDetail } from '../../../shared/ipc/schemas';
import { client } from '../../api/client';
import { useConnection } from '../../api/useConnection';
import { errorMessage } from '../../lib/errors';
import { EMPTY_SERIES, mergeMetricPoints, type MetricSeries } from '../run/metrics-merge';

export interface CompareData {
  runs: RunDetail[];
  metrics: MetricSeries[];
}

/** Every compared run's record and metrics, read in parallel. */
export function useCompareRuns(runIds: readonly number[]): { data: CompareData | null; error: string | null } {
  const { generation } = useConnection();
  const [state, setState] = useState<{ data: CompareData | null; error: string | null }>({ data: null, error: null });
  const key = runIds.join(',');
  useEffect(() => {
    let live = true;
    const ids = key ? key.split(',').map(Number) : [];
    Promise.all(
      ids.map(async (runId) => {
        const [run, points] = await Promise.all([client.request('runs.get', { runId }), client.request('runs.metrics', { runId })]);
        return { run, metrics: mergeMetricPoints(EMPTY_SERIES, points) };
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
