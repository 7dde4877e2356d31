import { useState } from 'react';
import { errorMessage } from '../../lib/errors';
import type { ConfigProblem } from './config-text';

/** Start, disabled while the config has any problem, with the first one named as the reason. */
export function StartBar({ problems, onStart }: { problems: ConfigProblem[]; onStart: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const first = problems[0];
  const blocked = first !== undefined;
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      await onStart();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <div className="start-bar">
      <button type="button" className="button primary" disabled={blocked || busy} onClick={start} data-testid="start-run" aria-describedby={blocked ? 'start-reason' : undefined}>
        {busy ? 'Starting…' : 'Start run'}
      </button>
      {blocked && (
        <span id="start-reason" className="start-reason" data-testid="start-blocked">
          Cannot start: {first.path ? `${first.path}: ` : ''}
          {first.message} (line {first.line}){problems.length > 1 ? ` and ${problems.length - 1} more` : ''}
        </span>
      )}
      {error && (
        <span className="field-error" role="alert" data-testid="start-error">
          Could not start: {error}
        </span>
      )}
    </div>
  );
}
