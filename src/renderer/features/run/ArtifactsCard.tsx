import type { ArtifactInfo, RunDetail } from '../../../shared/ipc/schemas';
import { ShowInFolderButton } from '../../components/ShowInFolderButton';
import { formatBytes } from '../../lib/bytes';
import { formatInteger, formatTimestamp } from '../../lib/format';
import { artifactBytes, artifactLabel, verification } from './artifact-view';

/** What the run produced: its adapter (or full model) and any model merged from it. */
export function ArtifactsCard({ run }: { run: RunDetail }) {
  return (
    <section className="card" aria-labelledby="artifacts-title" data-testid="artifacts">
      <h2 id="artifacts-title">Artifacts</h2>
      {run.artifacts.length === 0 ? (
        <p className="muted">Nothing written yet: the adapter is saved when the run completes or is stopped.</p>
      ) : (
        <ul className="artifact-list">
          {run.artifacts.map((a) => (
            <li key={a.id} data-testid={`artifact-${a.id}`} data-kind={a.kind}>
              <div className="artifact-head">
                <strong>{artifactLabel(a.kind)}</strong>
                <span className="muted">{formatTimestamp(a.createdAt)}</span>
                <span className="muted">{formatBytes(artifactBytes(a) ?? (isRunOutput(a) ? run.adapterBytes : null))}</span>
                {isRunOutput(a) && run.trainableParams !== null && <span className="muted">{formatInteger(run.trainableParams)} parameters</span>}
                <ShowInFolderButton path={a.path} testId={`show-artifact-${a.id}`} />
              </div>
              <code className="path">{a.path}</code>
              <VerificationLine artifact={a} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const isRunOutput = (a: ArtifactInfo) => a.kind === 'adapter' || a.kind === 'model';

function VerificationLine({ artifact }: { artifact: ArtifactInfo }) {
  const v = verification(artifact);
  if (v.kind === 'none') return null;
  if (v.kind === 'skipped') return <p className="verify verify-skipped" data-testid="verification">Not verified: {v.reason}</p>;
  return (
    <p className={`verify ${v.ok ? 'verify-ok' : 'verify-bad'}`} data-testid="verification" data-ok={v.ok}>
      {v.ok ? 'Verified' : 'Verification failed'}: largest logit difference between base + adapter and the merged model{' '}
      <strong>{v.maxAbsLogitDiff.toExponential(2)}</strong>
      {v.tokens !== null && ` over ${formatInteger(v.tokens)} tokens`}
    </p>
  );
}
