import { useConnection } from './api/useConnection';
import { AppHeader } from './components/AppHeader';
import { ConnectionNotice } from './components/ConnectionNotice';
import { ErrorBoundary } from './components/ErrorBoundary';
import { ComparePage } from './features/compare/ComparePage';
import { InspectPage } from './features/inspect/InspectPage';
import { MergePage } from './features/merge/MergePage';
import { NewRunPage } from './features/new-run/NewRunPage';
import { PlaygroundPage } from './features/playground/PlaygroundPage';
import { RunPage } from './features/run/RunPage';
import { RunsPage } from './features/runs/RunsPage';
import { routeKey, type Route } from './route';
import { useHashRoute } from './useHashRoute';

export function App() {
  const route = useHashRoute();
  const { state } = useConnection();
  // Without an accepted token nothing can load; the notice says what to do instead.
  const blocked = state.kind === 'refused' || state.kind === 'no-token';
  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <AppHeader page={route.page} />
      <ConnectionNotice state={state} />
      {!blocked && (
        <main id="main" tabIndex={-1}>
          {/* Keyed by route so a render error on one page does not stick to the next. */}
          <ErrorBoundary key={routeKey(route)}>
            <Page route={route} />
          </ErrorBoundary>
        </main>
      )}
    </div>
  );
}

/** The hash is the router's: the skip link moves focus instead of navigating. */
function skipToMain(e: React.MouseEvent) {
  e.preventDefault();
  document.getElementById('main')?.focus();
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'runs':
      return <RunsPage />;
    case 'run':
      return <RunPage key={route.runId} runId={route.runId} />;
    case 'compare':
      return <ComparePage key={route.runIds.join(',')} runIds={route.runIds} />;
    case 'new':
      return <NewRunPage />;
    case 'inspect':
      return <InspectPage />;
    case 'merge':
      return <MergePage />;
    case 'playground':
      return <PlaygroundPage />;
    case 'not-found':
      return <NotFound hash={route.hash} />;
  }
}

function NotFound({ hash }: { hash: string }) {
  return (
    <div className="page" data-testid="not-found">
      <h1>Nothing here</h1>
      <p>
        There is no page at <code>{hash}</code>. <a href="#/">Go to all runs</a>.
      </p>
    </div>
  );
}
