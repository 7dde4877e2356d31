// The export and import forms as plain data: what the user typed → the contract
// request, or the message that says which field is wrong. Kept apart from the
// dialogs so it is tested without a browser.
import { CLUSTER_STRATEGIES, type ClusterStrategy } from '../../../shared/ipc/cluster-schemas';
import type { RequestOf } from '../../../shared/ipc/contract';

export const STRATEGY_LABELS: Record<ClusterStrategy, string> = {
  ddp: 'DDP (one copy per GPU)',
  'deepspeed-zero2': 'DeepSpeed ZeRO-2 (shard optimizer state and gradients)',
  'deepspeed-zero3': 'DeepSpeed ZeRO-3 (shard the weights too)',
  fsdp: 'FSDP (PyTorch fully sharded)',
};

export interface ExportForm {
  out: string;
  gpus: string;
  strategy: ClusterStrategy;
  model: string;
  dataPaths: boolean;
  copyModel: boolean;
}

export const exportFormDefaults = (runId: number, runName: string): ExportForm => ({
  out: `cluster-jobs/run-${runId}-${runName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'job'}`,
  gpus: '1',
  strategy: 'ddp',
  model: '',
  dataPaths: false,
  copyModel: false,
});

export function exportRequest(runId: number, form: ExportForm): { request: RequestOf<'cluster.exportJob'> } | { error: string } {
  const out = form.out.trim();
  if (!out) return { error: 'Job folder: say where to write the job.' };
  if (!/^\d+$/.test(form.gpus.trim()) || Number(form.gpus) < 1) return { error: `GPUs: a whole number of at least 1, got "${form.gpus}".` };
  if (!CLUSTER_STRATEGIES.includes(form.strategy)) return { error: `Strategy: one of ${CLUSTER_STRATEGIES.join(', ')}.` };
  const model = form.model.trim();
  return {
    request: {
      runId,
      out,
      gpus: Number(form.gpus),
      strategy: form.strategy,
      dataPaths: form.dataPaths,
      copyModel: form.copyModel,
      ...(model ? { model } : {}),
    },
  };
}

/** The shell lines that run the job and bring it back. */
export const jobCommands = (dir: string): string[] => [`cd ${quote(dir)} && pip install -r requirements.txt && ./launch.sh`, `loralab import-job ${quote(dir)}`];

const quote = (p: string): string => (/^[\w./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`);

export function importRequest(dir: string): { request: RequestOf<'cluster.importJob'> } | { error: string } {
  const d = dir.trim();
  if (!d) return { error: 'Folder: the job folder, its output/ folder, or a PEFT adapter folder with trainer_state.json.' };
  return { request: { dir: d } };
}
