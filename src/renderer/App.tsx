import { useConnection } from './api/useConnection';
import { AppHeader } from './components/AppHeader';
import { ConnectionNotice } from './components/ConnectionNotice';
import { ErrorBoundary } from './components/ErrorBoundary';
import { RunPage } from './features/run/RunPage';
import { RunsPage } from './features/runs/RunsPage';
import type { Route } from './route';
import { useHashRoute } from './useHashRoute';

export function App() {
  const route = useHashRoute();
  const { state } = useConnection();
  // Without an accepted token nothing can load; the notice says what to do instead.
  const blocked = state.kind === 'refused' || state.kind === 'no-token';
  return (
    <div className="app">
      <AppHeader />
      <ConnectionNotice state={state} />
      {!blocked && (
        <main>
          {/* Keyed by route so a render error on one page does not stick to the next. */}
          <ErrorBoundary key={routeKey(route)}>
            <Page route={route} />
          </ErrorBoundary>
        </main>
      )}
    </div>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'runs':
      return <RunsPage />;
    case 'run':
      return <RunPage key={route.runId} runId={route.runId} />;
    case 'not-found':
      return (
        <div className="page" data-testid="not-found">
          <h1>Nothing here</h1>
          <p>
            There is no page at <code>{route.hash}</code>. <a href="#/">Go to all runs</a>.
          </p>
        </div>
      );
  }
}

const routeKey = (route: Route) => (route.page === 'run' ? `run-${route.runId}` : route.page);
