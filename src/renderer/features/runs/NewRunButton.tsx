import { useState } from 'react';
import type { RunConfigInput } from '../../../shared/config/run-config';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { errorMessage } from '../../lib/errors';
import { navigate } from '../../useHashRoute';

/** Starts a run from the default config and opens its page. */
export function NewRunButton() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const { config } = await client.request('runs.defaultConfig', {});
      // The server validates every request against the run-config schema and names
      // the failing field, so the untyped default config is passed through as is.
      const { runId } = await client.request('runs.start', { config: config as RunConfigInput });
      navigate({ page: 'run', runId });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="new-run">
      <button type="button" className="button primary" data-testid="new-run" disabled={busy} onClick={start}>
        {busy ? 'Starting…' : 'New run'}
      </button>
      {error && <ErrorMessage testId="new-run-error">Could not start a run: {error}</ErrorMessage>}
    </div>
  );
}
