import { useEffect, useState } from 'react';
import type { MetricPoint } from '../../../shared/ipc/schemas';
import { client } from '../../api/client';
import { useConnection } from '../../api/useConnection';
import { errorMessage } from '../../lib/errors';
import { EMPTY_SERIES, mergeMetricPoints, type MetricSeries } from './metrics-merge';

export interface LiveMetrics {
  series: MetricSeries;
  error: string | null;
}

/**
 * Every metric point of a run, live. The order matters: subscribe first and buffer,
 * then read the history, then merge history and buffer by (name, step). Reading first
 * would lose the points pushed between the read and the subscription. After a
 * reconnect the history is read again and merged in, filling any gap.
 */
export function useLiveMetrics(runId: number): LiveMetrics {
  const { generation } = useConnection();
  const [series, setSeries] = useState<MetricSeries>(EMPTY_SERIES);
  const [error, setError] = useState<string | null>(null);

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

    client.request('runs.metrics', { runId }).then(
      (history) => {
        if (disposed) return;
        const early = goLive();
        setSeries((s) => mergeMetricPoints(mergeMetricPoints(s, history), early));
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
  }, [runId, generation]);

  return { series, error };
}
