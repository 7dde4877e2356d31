import type { RunDetail } from '../../../shared/ipc/schemas';
import { routeHref } from '../../route';
import { useRunNames } from './useRunNames';

/** Where the run came from (its init_from chain, nearest first) and what continued from it. */
export function LineageCard({ run }: { run: RunDetail }) {
  const names = useRunNames();
  const link = (id: number, testId: string) => (
    <a href={routeHref({ page: 'run', runId: id })} data-testid={testId}>
      #{id}
      {names.get(id) ? ` ${names.get(id)}` : ''}
    </a>
  );
  return (
    <section className="card" aria-labelledby="lineage-title" data-testid="lineage">
      <h2 id="lineage-title">Lineage</h2>
      <dl className="lineage">
        <div>
          <dt>Continues</dt>
          <dd>
            {run.lineage.length === 0 ? (
              <span className="muted">nothing: trained from the base model</span>
            ) : (
              <ol className="chain">
                {run.lineage.map((id, i) => (
                  <li key={id}>{link(id, i === 0 ? 'run-parent' : `run-ancestor-${id}`)}</li>
                ))}
              </ol>
            )}
          </dd>
        </div>
        <div>
          <dt>Continued by</dt>
          <dd>
            {run.children.length === 0 ? (
              <span className="muted">no run yet</span>
            ) : (
              <ul className="chain">
                {run.children.map((id) => (
                  <li key={id}>{link(id, `run-child-${id}`)}</li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}
