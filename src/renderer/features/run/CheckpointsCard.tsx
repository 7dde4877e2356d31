import { ACTIVE_STATUSES, type RunDetail } from '../../../shared/ipc/schemas';
import { ShowInFolderButton } from '../../components/ShowInFolderButton';
import { formatBytes } from '../../lib/bytes';
import { formatInteger, formatTimestamp } from '../../lib/format';
import { newRunHref } from '../../route';
import { ResumeButton } from './ResumeButton';
import { RESUMABLE } from './run-status';

/**
 * The run's checkpoints. "Resume" continues this run from its newest checkpoint (same
 * run, same curve); "Continue from here" opens New run with that checkpoint as
 * init_from: a new run, in its own folder, with this one as its parent.
 */
export function CheckpointsCard({ run }: { run: RunDetail }) {
  const newest = run.checkpoints.reduce<number | null>((m, c) => (m === null || c.step > m ? c.step : m), null);
  const canResume = RESUMABLE.includes(run.status);
  return (
    <section className="card" aria-labelledby="checkpoints-title" data-testid="checkpoints">
      <h2 id="checkpoints-title">Checkpoints</h2>
      {run.checkpoints.length === 0 ? (
        <p className="muted">
          {ACTIVE_STATUSES.includes(run.status) ? 'No checkpoints yet' : 'No checkpoint was written'}
          {run.config.train && typeof run.config.train === 'object' ? ' (train.save_every sets how often they are written; the last step always writes one)' : ''}.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table compact">
            <thead>
              <tr>
                <th className="num">Step</th>
                <th className="num">Size</th>
                <th>Written</th>
                <th>Folder</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {run.checkpoints.map((c) => (
                <tr key={c.path} data-testid={`checkpoint-${c.step}`}>
                  <td className="num">{formatInteger(c.step)}</td>
                  <td className="num">{formatBytes(c.bytes)}</td>
                  <td className="nowrap">{formatTimestamp(c.createdAt)}</td>
                  <td className="path">
                    <code>{c.path}</code>
                  </td>
                  <td>
                    {/* A flex box inside the cell: a flex <td> stops being a table cell and loses its row's border. */}
                    <div className="row-actions">
                      {canResume && c.step === newest && <ResumeButton runId={run.id} testId={`resume-from-${c.step}`} small />}
                      <a className="button small" href={newRunHref({ initFrom: c.path, fromRun: run.id })} data-testid={`continue-from-${c.step}`}>
                        Continue from here
                      </a>
                      <ShowInFolderButton path={c.path} />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
