import { useCallback, useEffect, useRef, useState } from 'react';
import { client } from '../../api/client';
import { errorMessage } from '../../lib/errors';
import { applyJobEvent, IDLE, type JobEvent, type JobView } from './job-state';

/**
 * Starts a job and follows it through onJobProgress, onGenerateToken and onJobDone.
 * Nothing waits on the job: the page stays usable, and Cancel asks the engine to stop.
 */
export function useJob(): { view: JobView; start: (begin: () => Promise<{ jobId: string }>) => Promise<void>; cancel: () => Promise<void>; reset: () => void } {
  const [view, setView] = useState<JobView>(IDLE);
  const early = useRef<JobEvent[]>([]);
  const starting = useRef(false);

  useEffect(() => {
    const take = (event: JobEvent) => {
      if (starting.current) early.current.push(event);
      setView((v) => applyJobEvent(v, event));
    };
    const offs = [
      client.on('onJobProgress', (payload) => take({ name: 'onJobProgress', payload })),
      client.on('onGenerateToken', (payload) => take({ name: 'onGenerateToken', payload })),
      client.on('onJobDone', (payload) => take({ name: 'onJobDone', payload })),
    ];
    return () => offs.forEach((off) => off());
  }, []);

  const start = useCallback(async (begin: () => Promise<{ jobId: string }>) => {
    starting.current = true;
    early.current = [];
    setView({ ...IDLE, phase: 'starting', message: 'Starting…' });
    try {
      const { jobId } = await begin();
      const buffered = early.current;
      setView(() => buffered.reduce(applyJobEvent, { ...IDLE, jobId, phase: 'running', message: 'Loading…' }));
    } catch (err) {
      setView({ ...IDLE, phase: 'failed', error: errorMessage(err) });
    } finally {
      starting.current = false;
      early.current = [];
    }
  }, []);

  const jobId = view.jobId;
  const cancel = useCallback(async () => {
    if (jobId) await client.request('jobs.cancel', { jobId });
  }, [jobId]);

  return { view, start, cancel, reset: () => setView(IDLE) };
}
