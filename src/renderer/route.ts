// Hash routes, so the same bundle works from file:// in Electron and from `loralab ui`
// without server-side routing:
//   #/                      runs
//   #/runs/<id>             one run
//   #/compare?runs=1,2,3    runs side by side (two or more)
//   #/new[?init_from=<path>&from_run=<id>]   new run, optionally continuing a checkpoint or adapter
//   #/new?copy_of=<id>      new run with a copy of that run's config
//   #/inspect  #/merge  #/playground         the tools (their query parameters are theirs to read)

export type ToolPage = 'inspect' | 'merge' | 'playground';

export type Route =
  | { page: 'runs' }
  | { page: 'run'; runId: number }
  | { page: 'compare'; runIds: number[] }
  | { page: 'new'; initFrom: string | null; fromRun: number | null }
  | { page: ToolPage; params: Record<string, string> }
  | { page: 'not-found'; hash: string };

export type KnownRoute = Exclude<Route, { page: 'not-found' }>;

const TOOLS: readonly ToolPage[] = ['inspect', 'merge', 'playground'];

const runId = (text: string | null | undefined): number | null => {
  if (!text || !/^\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const path = (q < 0 ? raw : raw.slice(0, q)).replace(/\/+$/, '');
  const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  if (path === '' || path === '/runs') return { page: 'runs' };
  const run = /^\/runs\/(\d+)$/.exec(path);
  if (run) {
    const id = runId(run[1]);
    if (id !== null) return { page: 'run', runId: id };
  }
  if (path === '/compare') {
    const ids = (query.get('runs') ?? '').split(',').filter(Boolean).map(runId);
    if (ids.every((id) => id !== null)) return { page: 'compare', runIds: [...new Set(ids as number[])] };
  }
  if (path === '/new') {
    const fromRun = query.get('from_run');
    return { page: 'new', initFrom: query.get('init_from') || null, fromRun: fromRun === null ? null : runId(fromRun) };
  }
  const tool = TOOLS.find((t) => path === `/${t}`);
  if (tool) return { page: tool, params: Object.fromEntries(query) };
  return { page: 'not-found', hash };
}

export function routeHref(route: KnownRoute): string {
  switch (route.page) {
    case 'runs':
      return '#/';
    case 'run':
      return `#/runs/${route.runId}`;
    case 'compare':
      return `#/compare?runs=${route.runIds.join(',')}`;
    case 'new':
      return newRunHref({ initFrom: route.initFrom, fromRun: route.fromRun });
    default: {
      const query = new URLSearchParams(route.params).toString();
      return `#/${route.page}${query ? `?${query}` : ''}`;
    }
  }
}

/** New run, optionally prefilled to continue from a checkpoint or adapter folder of a run, or with a copy of a run's config. */
export function newRunHref({
  initFrom = null,
  fromRun = null,
  copyOf = null,
}: { initFrom?: string | null; fromRun?: number | null; copyOf?: number | null } = {}): string {
  const query = new URLSearchParams();
  if (initFrom) query.set('init_from', initFrom);
  if (fromRun !== null) query.set('from_run', String(fromRun));
  if (copyOf !== null) query.set('copy_of', String(copyOf));
  const text = query.toString();
  return `#/new${text ? `?${text}` : ''}`;
}

/** A stable key per page, so a render error on one page does not stick to the next. */
export function routeKey(route: Route): string {
  return route.page === 'not-found' ? `not-found:${route.hash}` : routeHref(route);
}
