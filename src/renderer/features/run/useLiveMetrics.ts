import { useCallback, useEffect, useState } from 'react';
import type { MetricPoint } from '../../../shared/ipc/schemas';
import { client } from '../../api/client';
import { useConnection } from '../../api/useConnection';
import { errorMessage } from '../../lib/errors';
import { chartMaxPoints, reducedSeries, type ReducedSeries } from './chart-points';
import { EMPTY_SERIES, mergeMetricColumns, mergeMetricPoints, type MetricSeries } from './metrics-merge';

export interface LiveMetrics {
  series: MetricSeries;
  error: string | null;
  /** Series of the history drawn from fewer points than recorded (long runs); [] once every point is loaded. */
  reduced: ReducedSeries[];
  /** Reads the whole history, every point, and merges it in. */
  loadAll: () => void;
}

/**
 * Every metric point of a run, live. The order matters: subscribe first and buffer,
 * then read the history, then merge history and buffer by (name, step). Reading first
 * would lose the points pushed between the read and the subscription. After a
 * reconnect the history is read again and merged in, filling any gap.
 *
 * The history of a long run is read reduced to what a chart can show (chart-points.ts);
 * points pushed after it are kept exactly, and loadAll() swaps in every recorded point.
 */
export function useLiveMetrics(runId: number): LiveMetrics {
  const { generation } = useConnection();
  const [series, setSeries] = useState<MetricSeries>(EMPTY_SERIES);
  const [error, setError] = useState<string | null>(null);
  const [reduced, setReduced] = useState<ReducedSeries[]>([]);
  const [exact, setExact] = useState(false);

  useEffect(() => {
    let disposed = false;
    let buffer: MetricPoint[] | null = [];
    const goLive = () => {
      const early = buffer ?? [];
      buffer = null;
      return early;
    };

    const off = client.on('onMetrics', (e) => {
      if (disposed || e.runId !== runId) return;
      if (buffer) {
        for (const p of e.points) buffer.push(p);
      } else {
        setSeries((s) => mergeMetricPoints(s, e.points));
      }
    });

    client.request('runs.metrics', exact ? { runId } : { runId, maxPoints: chartMaxPoints() }).then(
      (history) => {
        if (disposed) return;
        const early = goLive();
        setSeries((s) => mergeMetricPoints(mergeMetricColumns(s, history), early));
        setReduced(reducedSeries(history));
        setError(null);
      },
      (err: unknown) => {
        if (disposed) return;
        // Without the history the curve starts late, but live points still count.
        const early = goLive();
        setSeries((s) => mergeMetricPoints(s, early));
        setError(errorMessage(err));
      },
    );

    return () => {
      disposed = true;
      off();
    };
  }, [runId, generation, exact]);

  const loadAll = useCallback(() => setExact(true), []);
  return { series, error, reduced, loadAll };
}
