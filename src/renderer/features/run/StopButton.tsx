import { useState } from 'react';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { errorMessage } from '../../lib/errors';

/** Asks the supervisor to stop the run; the status event that follows hides this button. */
export function StopButton({ runId }: { runId: number }) {
  const [stopping, setStopping] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const stop = async () => {
    setStopping(true);
    setError(null);
    try {
      await client.request('runs.stop', { runId });
    } catch (err) {
      setError(errorMessage(err));
      setStopping(false);
    }
  };

  return (
    <>
      <button type="button" className="button danger" data-testid="stop-run" disabled={stopping} onClick={stop}>
        {stopping ? 'Stopping…' : 'Stop'}
      </button>
      {error && <ErrorMessage testId="stop-error">Could not stop the run: {error}</ErrorMessage>}
    </>
  );
}
