import { methodInfo } from '../../../shared/config/methods';
import { useEffect, useState } from 'react';
import { client } from '../../api/client';
import { errorMessage } from '../../lib/errors';

export interface RegistryAdapter {
  runId: number;
  runName: string;
  method: string;
  /** The base model the adapter was trained on (the run's config model). */
  baseModel: string;
  path: string;
  createdAt: number;
}

/** The most recent runs looked at for adapters (each is one runs.get). */
const RECENT_RUNS = 40;

/** Adapter artifacts recorded in the registry, newest first, one per folder. */
export function useRegistryAdapters(): { adapters: RegistryAdapter[]; error: string | null; loaded: boolean } {
  const [state, setState] = useState<{ adapters: RegistryAdapter[]; error: string | null; loaded: boolean }>({ adapters: [], error: null, loaded: false });
  useEffect(() => {
    let current = true;
    (async () => {
      const runs = (await client.request('runs.list', {}))
        .filter((r) => methodInfo(r.method).result === 'adapter' && r.status !== 'queued' && r.status !== 'running')
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, RECENT_RUNS);
      const details = await Promise.all(runs.map((r) => client.request('runs.get', { runId: r.id }).catch(() => null)));
      const adapters: RegistryAdapter[] = [];
      for (const run of details) {
        if (!run) continue;
        for (const a of run.artifacts) {
          if (a.kind !== 'adapter') continue;
          adapters.push({ runId: run.id, runName: run.name, method: run.method, baseModel: run.baseModel, path: a.path, createdAt: a.createdAt });
        }
      }
      // A resumed run saves its adapter into the same folder again: one entry per folder,
      // the newest record, since the folder holds what was written last.
      const seen = new Set<string>();
      return adapters.sort((a, b) => b.createdAt - a.createdAt).filter((a) => !seen.has(a.path) && seen.add(a.path));
    })().then(
      (adapters) => current && setState({ adapters, error: null, loaded: true }),
      (err: unknown) => current && setState({ adapters: [], error: errorMessage(err), loaded: true }),
    );
    return () => {
      current = false;
    };
  }, []);
  return state;
}
