import type { MergeResultData } from '../../../shared/ipc/job-schemas';
import { formatInteger } from '../../lib/format';
import { formatBytes } from '../../lib/bytes';
import type { JobView } from './job-state';
import { ShowInFolderButton } from '../../components/ShowInFolderButton';
import { VERIFY_TOLERANCE, verifyPasses } from './verify-tolerance';

/** The merge as it goes, then what it wrote and how the verification came out. */
export function MergeProgress({ view }: { view: JobView }) {
  if (view.phase === 'idle') return null;
  const result = view.phase === 'done' ? (view.result as MergeResultData | null) : null;
  return (
    <section className="card" aria-live="polite" data-testid="merge-progress" data-phase={view.phase}>
      <h2>{view.phase === 'done' ? 'Merged' : view.phase === 'failed' ? 'Merge failed' : 'Merging'}</h2>
      {(view.phase === 'running' || view.phase === 'starting') && (
        <div className="job-progress">
          <progress max={1} value={view.fraction ?? undefined} aria-label="Merge progress" />
          <span className="muted">{view.message}</span>
        </div>
      )}
      {view.phase === 'failed' && <p className="field-error" role="alert" data-testid="merge-error">{view.error}</p>}
      {result && (
        <>
          <Verification result={result} />
          <dl className="stats compact">
            <div>
              <dt>Tensors</dt>
              <dd>{formatInteger(result.tensors)}</dd>
            </div>
            <div>
              <dt>Adapted modules</dt>
              <dd>{formatInteger(result.adaptedModules.length)}</dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd>
                {formatBytes(result.bytes)} in {result.shards} shard{result.shards === 1 ? '' : 's'} ({result.dtype})
              </dd>
            </div>
            <div>
              <dt>Took</dt>
              <dd>{result.seconds.toFixed(1)} s</dd>
            </div>
          </dl>
          <p className="merge-out">
            <code data-testid="merge-out-path">{result.out}</code> <ShowInFolderButton path={result.out} testId="merge-show-in-folder" />
          </p>
          <p className="muted">
            Recorded as artifact #{result.artifactId}
            {result.runId !== null && (
              <>
                {' '}
                of <a href={`#/runs/${result.runId}`}>run #{result.runId}</a>
              </>
            )}
            .
          </p>
        </>
      )}
    </section>
  );
}

function Verification({ result }: { result: MergeResultData }) {
  if (!result.verify) {
    return (
      <p className="verify verify-skipped" data-testid="merge-verify-result">
        Not verified{result.verifySkipped ? `: ${result.verifySkipped}` : '.'}
      </p>
    );
  }
  const { maxAbsLogitDiff, sequences, tokens } = result.verify;
  const tolerance = VERIFY_TOLERANCE[result.dtype];
  const ok = verifyPasses(maxAbsLogitDiff, result.dtype);
  return (
    <p className={`verify ${ok ? 'verify-ok' : 'verify-warn'}`} data-testid="merge-verify-result" data-max-diff={maxAbsLogitDiff}>
      {ok ? 'Verified' : 'Differs'}: largest logit difference {maxAbsLogitDiff.toExponential(2)} between base + adapter and the merged model over {sequences} sequence
      {sequences === 1 ? '' : 's'} ({formatInteger(tokens)} tokens){ok ? '' : ` — above ${tolerance} for ${result.dtype}`}.
    </p>
  );
}
