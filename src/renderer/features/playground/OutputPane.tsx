import type { GenerateResultData } from '../../../shared/ipc/job-schemas';
import type { JobView } from '../merge/job-state';

const STOP: Record<GenerateResultData['stop'], string> = { eos: 'end of sequence', 'max-new-tokens': 'max new tokens', cancelled: 'stopped' };

/** One side of the comparison: the text as it streams, then how it ended. */
export function OutputPane({ title, view, testId, empty }: { title: string; view: JobView; testId: string; empty?: string }) {
  const result = view.phase === 'done' ? (view.result as GenerateResultData | null) : null;
  const live = view.phase === 'running' || view.phase === 'starting';
  return (
    <section className="card play-pane" aria-label={title} data-testid={testId} data-phase={view.phase}>
      <div className="card-title-row">
        <h2>{title}</h2>
        {live && <span className="muted">{view.text === '' ? view.message || 'Loading…' : 'streaming…'}</span>}
        {result && (
          <span className="muted" data-testid={`${testId}-stats`}>
            {result.tokens} tokens · {result.seconds.toFixed(1)} s · {STOP[result.stop]}
          </span>
        )}
      </div>
      <pre className="play-text" aria-live="polite" data-testid={`${testId}-text`}>
        {view.text}
        {live && <span className="caret" aria-hidden="true" />}
      </pre>
      {view.phase === 'idle' && <p className="muted">{empty ?? 'Nothing generated yet.'}</p>}
      {view.phase === 'failed' && <p className="field-error" role="alert">{view.error}</p>}
      {result && (
        <details className="rendered-prompt">
          <summary>
            What the model was given ({result.promptTokens} tokens, {result.chatTemplate ? 'chat template applied' : 'raw'})
          </summary>
          <pre>{result.renderedPrompt}</pre>
        </details>
      )}
    </section>
  );
}
