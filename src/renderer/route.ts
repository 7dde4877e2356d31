// Hash routes, so the same bundle works from file:// in Electron and from `loralab ui`
// without server-side routing:  #/ = runs,  #/runs/<id> = one run.

export type Route = { page: 'runs' } | { page: 'run'; runId: number } | { page: 'not-found'; hash: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '');
  if (path === '') return { page: 'runs' };
  const run = /^\/runs\/(\d+)$/.exec(path);
  if (run) {
    const runId = Number(run[1]);
    if (Number.isSafeInteger(runId) && runId > 0) return { page: 'run', runId };
  }
  return { page: 'not-found', hash };
}

export function routeHref(route: Exclude<Route, { page: 'not-found' }>): string {
  return route.page === 'runs' ? '#/' : `#/runs/${route.runId}`;
}
