// `#/new?init_from=<path>&from_run=<id>`: a new run that continues from a checkpoint
// or an adapter (the run page's "Continue from here"), starting from that run's config;
// `#/new?copy_of=<id>`: a run's config as it was, to change and start again (a run
// that failed on its data, say).
export interface NewRunQuery {
  initFrom: string | null;
  fromRun: number | null;
  copyOf?: number | null;
}

export function parseNewRunQuery(hash: string): NewRunQuery {
  const q = hash.indexOf('?');
  const params = new URLSearchParams(q >= 0 ? hash.slice(q + 1) : '');
  const initFrom = params.get('init_from')?.trim() || null;
  const runId = (name: string) => {
    const id = Number(params.get(name));
    return Number.isSafeInteger(id) && id > 0 ? id : null;
  };
  const copyOf = runId('copy_of');
  return { initFrom, fromRun: runId('from_run'), ...(copyOf !== null && { copyOf }) };
}

/** The run's stored config made into the config of its continuation. */
export function continuationConfig(config: Record<string, unknown>, query: NewRunQuery): Record<string, unknown> {
  const name = typeof config.name === 'string' ? config.name : 'run';
  return { ...config, name: `${name}-continued`.slice(0, 200), init_from: query.initFrom ?? query.fromRun };
}
