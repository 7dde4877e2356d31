import { formatDuration, formatInteger, formatLoss, formatRate } from '../../lib/format';
import type { ProgressView } from './progress';

export function RunProgress({ view }: { view: ProgressView }) {
  const percent = view.fraction === null ? null : Math.round(view.fraction * 100);
  return (
    <section
      className="card run-progress"
      data-testid="run-progress"
      data-step={view.step}
      data-total-steps={view.totalSteps ?? ''}
    >
      <progress
        max={1}
        value={view.fraction ?? undefined}
        aria-label={percent === null ? 'Training progress' : `Training progress ${percent}%`}
      />
      <dl className="stats">
        <div>
          <dt>Step</dt>
          <dd>
            {formatInteger(view.step)}
            {view.totalSteps !== null && ` / ${formatInteger(view.totalSteps)}`}
            {percent !== null && <span className="muted"> ({percent}%)</span>}
          </dd>
        </div>
        <div>
          <dt>Loss</dt>
          <dd data-testid="progress-loss">{formatLoss(view.loss)}</dd>
        </div>
        <div>
          <dt>Tokens/s</dt>
          <dd>{formatRate(view.tokensPerSecond)}</dd>
        </div>
        <div>
          <dt>ETA</dt>
          <dd data-testid="run-eta">{formatDuration(view.etaSeconds)}</dd>
        </div>
      </dl>
      {view.starting && (
        <p className="muted small-note" data-testid="run-starting">
          Starting: the engine loads the model, tokenizes the data and, when the config has eval data, measures the eval loss before step 1.
        </p>
      )}
    </section>
  );
}
