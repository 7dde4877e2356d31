// `#/new?init_from=<path>&from_run=<id>`: a new run that continues from a checkpoint
// or an adapter (the run page's "Continue from here"), starting from that run's config.
export interface NewRunQuery {
  initFrom: string | null;
  fromRun: number | null;
}

export function parseNewRunQuery(hash: string): NewRunQuery {
  const q = hash.indexOf('?');
  const params = new URLSearchParams(q >= 0 ? hash.slice(q + 1) : '');
  const initFrom = params.get('init_from')?.trim() || null;
  const id = Number(params.get('from_run'));
  return { initFrom, fromRun: Number.isSafeInteger(id) && id > 0 ? id : null };
}

/** The run's stored config made into the config of its continuation. */
export function continuationConfig(config: Record<string, unknown>, query: NewRunQuery): Record<string, unknown> {
  const name = typeof config.name === 'string' ? config.name : 'run';
  return { ...config, name: `${name}-continued`.slice(0, 200), init_from: query.initFrom ?? query.fromRun };
}
