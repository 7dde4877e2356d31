import { useState } from 'react';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { errorMessage } from '../../lib/errors';

/** Continues a stopped, crashed or failed run from its newest checkpoint, exactly where it was. */
export function ResumeButton({ runId, testId = 'resume-run', small = false }: { runId: number; testId?: string; small?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const resume = async () => {
    setBusy(true);
    setError(null);
    try {
      await client.request('runs.resume', { runId });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className={small ? 'button small' : 'button'} data-testid={testId} disabled={busy} onClick={resume}>
        {busy ? 'Resuming…' : 'Resume'}
      </button>
      {error && <ErrorMessage testId="resume-error">Could not resume: {error}</ErrorMessage>}
    </>
  );
}
