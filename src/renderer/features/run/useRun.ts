import { useEffect, useRef, useState } from 'react';
import { ACTIVE_STATUSES, type RunDetail } from '../../../shared/ipc/schemas';
import { RemoteError } from '../../../shared/ipc/result';
import { client } from '../../api/client';
import { useConnection } from '../../api/useConnection';
import { coalesce } from '../../lib/coalesce';
import { errorMessage } from '../../lib/errors';
import type { SeenStatus } from './run-history';

export interface RunState {
  run: RunDetail | null;
  error: string | null;
  notFound: boolean;
  /** Status changes this page saw live, for the history. */
  seen: SeenStatus[];
}

/**
 * One run's record. A status event updates the badge at once and triggers a re-read
 * (for the error text and end time); while the run is active (or its engine still
 * exiting) a slow poll covers an event lost in a reconnect.
 */
export function useRun(runId: number, pollMs = 2000): RunState {
  const { generation } = useConnection();
  const [state, setState] = useState<RunState>({ run: null, error: null, notFound: false, seen: [] });
  // Polled while the run is active, and while its engine is still alive after a final
  // status (it writes the adapter and exits after recording `stopped`): no event marks
  // that exit, and the Stop button shows "Stopping…" until the engine is gone.
  const polling = state.run ? ACTIVE_STATUSES.includes(state.run.status) || state.run.engineAlive : false;
  const pollingRef = useRef(polling);
  useEffect(() => {
    pollingRef.current = polling;
  }, [polling]);

  useEffect(() => {
    let disposed = false;
    const load = coalesce(async () => {
      try {
        const run = await client.request('runs.get', { runId });
        if (!disposed) setState((s) => ({ run, error: null, notFound: false, seen: s.seen }));
      } catch (err) {
        if (disposed) return;
        const notFound = err instanceof RemoteError && err.code === 'NOT_FOUND';
        setState((s) => ({ ...s, error: errorMessage(err), notFound }));
      }
    });
    // Subscribe before the first read so a change between the two is not missed.
    const off = client.on('onRunStatus', (e) => {
      if (e.runId !== runId) return;
      const seen: SeenStatus = { at: Date.now(), status: e.status, error: e.error };
      setState((s) => ({ ...s, seen: [...s.seen, seen], run: s.run ? { ...s.run, status: e.status, error: e.error } : s.run }));
      load();
    });
    load();
    const timer = window.setInterval(() => {
      if (pollingRef.current) load();
    }, pollMs);
    return () => {
      disposed = true;
      off();
      window.clearInterval(timer);
    };
  }, [runId, generation, pollMs]);

  return state;
}
