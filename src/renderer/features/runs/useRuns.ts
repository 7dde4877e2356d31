import { useEffect, useState } from 'react';
import type { RunSummary } from '../../../shared/ipc/schemas';
import { client } from '../../api/client';
import { useConnection } from '../../api/useConnection';
import { coalesce } from '../../lib/coalesce';
import { errorMessage } from '../../lib/errors';

export interface RunsState {
  runs: RunSummary[] | null;
  error: string | null;
  /** Re-read now (after a delete or a tag). */
  reload: () => void;
}

/**
 * The run list, re-read on every status event, on reconnect, and on a timer as a
 * safety net (steps and losses change without a status event).
 */
export function useRuns(intervalMs = 3000): RunsState {
  const { generation } = useConnection();
  const [state, setState] = useState<Omit<RunsState, 'reload'>>({ runs: null, error: null });
  const [reload, setReload] = useState<() => void>(() => () => undefined);

  useEffect(() => {
    let disposed = false;
    const load = coalesce(async () => {
      try {
        const runs = await client.request('runs.list', {});
        if (!disposed) setState({ runs, error: null });
      } catch (err) {
        // Keep the last good list on screen; the error says why it may be stale.
        if (!disposed) setState((s) => ({ runs: s.runs, error: errorMessage(err) }));
      }
    });
    setReload(() => load);
    const off = client.on('onRunStatus', load);
    load();
    const timer = window.setInterval(load, intervalMs);
    return () => {
      disposed = true;
      off();
      window.clearInterval(timer);
    };
  }, [generation, intervalMs]);

  return { ...state, reload };
}
