// The wizard's choices turned into a merge.start request, and what is still missing.
import type { RequestOf } from '../../../shared/ipc/contract';
import { DEFAULT_MERGE_DTYPE } from '../../../shared/ipc/job-schemas';

export interface AdapterChoice {
  path: string;
  /** Text as typed; a number once valid. */
  weight: string;
  /** The run that wrote it, when chosen from the registry. */
  runId: number | null;
  method: string | null;
}

export interface MergePlan {
  base: string;
  adapters: AdapterChoice[];
  out: string;
  dtype: 'float32' | 'float16' | 'bfloat16';
  shardSize: string;
  verify: boolean;
  qloraBase: 'dequantized' | 'original';
}

export type MergeRequest = RequestOf<'merge.start'>;

/** The wizard's fields a missing reason can be about. */
export type MergeField = 'adapters' | 'base' | 'out' | 'shardSize';

/** A fresh wizard; the data type is the merge contract's default, as the CLI's. */
export const EMPTY_PLAN: MergePlan = { base: '', adapters: [], out: '', dtype: DEFAULT_MERGE_DTYPE, shardSize: '', verify: true, qloraBase: 'dequantized' };

/** The request, or the first reason it cannot be sent yet and the field it is about. */
export function mergeRequest(plan: MergePlan): { request: MergeRequest } | { missing: string; field: MergeField } {
  // In the wizard's order: adapters, base, output.
  if (plan.adapters.length === 0) return { missing: 'Add at least one adapter.', field: 'adapters' };
  if (plan.base.trim() === '') return { missing: 'Choose the base model.', field: 'base' };
  const adapters: MergeRequest['adapters'] = [];
  for (const [i, a] of plan.adapters.entries()) {
    if (a.path.trim() === '') return { missing: `Adapter ${i + 1} has no folder.`, field: 'adapters' };
    const weight = Number(a.weight);
    if (a.weight.trim() === '' || !Number.isFinite(weight)) return { missing: `Adapter ${i + 1}: the weight must be a number (negative subtracts).`, field: 'adapters' };
    adapters.push({ path: a.path.trim(), weight });
  }
  if (plan.out.trim() === '') return { missing: 'Choose an output folder (it must not exist yet).', field: 'out' };
  const shard = plan.shardSize.trim();
  if (shard !== '' && !/^\d+(\.\d+)?\s*(B|KB|MB|GB|KiB|MiB|GiB)?$/i.test(shard)) return { missing: 'Shard size: a size such as 5GB or 500MB.', field: 'shardSize' };
  const runId = plan.adapters.find((a) => a.runId !== null)?.runId;
  return {
    request: {
      base: plan.base.trim(),
      adapters,
      out: plan.out.trim(),
      dtype: plan.dtype,
      verify: plan.verify,
      ...(shard !== '' ? { maxShardSize: /^\d+$/.test(shard) ? Number(shard) : shard } : {}),
      ...(hasQlora(plan) ? { qloraBase: plan.qloraBase } : {}),
      ...(runId !== undefined && runId !== null ? { runId } : {}),
    },
  };
}

export const hasQlora = (plan: MergePlan) => plan.adapters.some((a) => a.method === 'qlora');

/** A sibling of the adapter folder, so the merged model sits with its run. */
export function defaultOutFor(adapterPath: string): string {
  const trimmed = adapterPath.replace(/[\\/]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  const parent = cut > 0 ? trimmed.slice(0, cut) : trimmed;
  const sep = trimmed.includes('\\') && !trimmed.includes('/') ? '\\' : '/';
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${parent}${sep}merged-${stamp}`;
}
