import { useEffect, useState } from 'react';
import type { RequestOf } from '../../../shared/ipc/contract';
import type { InspectReportData } from '../../../shared/ipc/workbench-schemas';
import { client } from '../../api/client';
import { errorMessage } from '../../lib/errors';
import { compareMemory, type MethodMemory } from './memory-compare';
import { useDebounced } from './useDebounced';

export type InspectRequest = RequestOf<'inspect.run'>;

export interface InspectState {
  /** The report for the method asked for. */
  report: InspectReportData | null;
  memory: MethodMemory[] | null;
  error: string | null;
  loading: boolean;
}

/** The inspect report for `request` (null: nothing to ask yet), re-asked when it settles after a change. */
export function useInspect(request: InspectRequest | null, debounceMs = 250): InspectState {
  const key = useDebounced(request ? JSON.stringify(request) : null, debounceMs);
  const [state, setState] = useState<InspectState>({ report: null, memory: null, error: null, loading: false });
  useEffect(() => {
    if (key === null) {
      setState({ report: null, memory: null, error: null, loading: false });
      return;
    }
    const req = JSON.parse(key) as InspectRequest;
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    const ask = (method: 'lora' | 'qlora' | 'adalora') => client.request('inspect.run', { ...req, method });
    const method = req.method ?? 'lora';
    Promise.all([ask(method), method === 'lora' ? null : ask('lora'), method === 'qlora' ? null : ask('qlora')])
      .then(([own, lora, qlora]) => {
        if (!current) return;
        setState({ report: own, memory: compareMemory(lora ?? own, qlora ?? own), error: null, loading: false });
      })
      .catch((err: unknown) => {
        if (current) setState({ report: null, memory: null, error: errorMessage(err), loading: false });
      });
    return () => {
      current = false;
    };
  }, [key]);
  return state;
}
