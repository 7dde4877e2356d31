import { useEffect, useState } from 'react';
import { client } from '../../api/client';
import type { ProgressEvent } from './progress';

/** The latest onProgress event of one run (null until the first arrives). */
export function useRunProgress(runId: number): ProgressEvent | null {
  const [progress, setProgress] = useState<ProgressEvent | null>(null);
  useEffect(
    () =>
      client.on('onProgress', (e) => {
        if (e.runId === runId) setProgress((prev) => (prev && prev.step > e.step ? prev : e));
      }),
    [runId],
  );
  return progress;
}
