import './cluster.css';
import { useState } from 'react';
import { CLUSTER_STRATEGIES, type ClusterStrategy } from '../../../shared/ipc/cluster-schemas';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ShowInFolderButton } from '../../components/ShowInFolderButton';
import { errorMessage } from '../../lib/errors';
import { ClusterDialog, ClusterDialogActions, FolderInput } from './ClusterDialog';
import { exportFormDefaults, exportRequest, jobCommands, STRATEGY_LABELS, type ExportForm } from './cluster-form';
import { folderPicker } from './folder-picker';

/**
 * Run page → "Run on a cluster…": writes the run as a Hugging Face accelerate +
 * PEFT job folder (cluster.exportJob) and says how to launch it and bring it back.
 */
export function ClusterExportButton({ runId, runName }: { runId: number; runName: string }) {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<ExportForm>(() => exportFormDefaults(runId, runName));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ResponseOf<'cluster.exportJob'> | null>(null);
  const pick = folderPicker();
  const set = <K extends keyof ExportForm>(key: K, value: ExportForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const close = () => {
    setOpen(false);
    setError(null);
    setResult(null);
  };
  const submit = async () => {
    const built = exportRequest(runId, form);
    if ('error' in built) return setError(built.error);
    setBusy(true);
    setError(null);
    try {
      setResult(await client.request('cluster.exportJob', built.request));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="button" data-testid="cluster-export-open" onClick={() => setOpen(true)}>
        Run on a cluster…
      </button>
      <ClusterDialog
        open={open}
        title="Run on a cluster"
        busy={busy}
        onClose={close}
        testId="cluster-export"
        actions={<ClusterDialogActions done={result !== null} busy={busy} onClose={close} onSubmit={submit} label="Write job folder" busyLabel="Writing…" testId="cluster-export" />}
      >
        {result ? (
          <div data-testid="cluster-export-result">
            <p>
              Wrote <code className="path">{result.dir}</code> ({result.strategy}, {result.gpus} GPU{result.gpus > 1 ? 's' : ''}). <ShowInFolderButton path={result.dir} />
            </p>
            <p className="muted">On the cluster, then back here:</p>
            <pre className="cluster-commands">{jobCommands(result.dir).join('\n')}</pre>
            <p className="muted small-note">Or Runs → Import… with that folder. README.md in it says where a cluster run can differ.</p>
          </div>
        ) : (
          <form
            className="cluster-form"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <p className="muted">
              Run #{runId} as a transformers Trainer + PEFT job launched by accelerate: train.py, accelerate config, DeepSpeed JSON, pinned requirements and
              launch.sh. Settings the Hugging Face stack cannot express are refused by name.
            </p>
            <FolderInput label="Job folder (a relative path goes beside LoRA Lab's runs folder)" value={form.out} onChange={(v) => set('out', v)} testId="cluster-export-out" onPick={pick} autoFocus />
            <div className="cluster-row">
              <label className="cluster-field">
                <span>GPUs</span>
                <input type="number" min={1} step={1} value={form.gpus} onChange={(e) => set('gpus', e.target.value)} data-testid="cluster-export-gpus" />
              </label>
              <label className="cluster-field cluster-grow">
                <span>Strategy</span>
                <select value={form.strategy} onChange={(e) => set('strategy', e.target.value as ClusterStrategy)} data-testid="cluster-export-strategy">
                  {CLUSTER_STRATEGIES.map((s) => (
                    <option key={s} value={s}>
                      {STRATEGY_LABELS[s]}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <label className="cluster-field">
              <span>Model on the cluster (optional: a path there or a Hub id)</span>
              <input type="text" value={form.model} onChange={(e) => set('model', e.target.value)} placeholder="the run's model folder" spellCheck={false} data-testid="cluster-export-model" />
            </label>
            <label className="checkbox">
              <input type="checkbox" checked={form.copyModel} onChange={(e) => set('copyModel', e.target.checked)} /> Copy the model folder into the job
            </label>
            <label className="checkbox">
              <input type="checkbox" checked={form.dataPaths} onChange={(e) => set('dataPaths', e.target.checked)} /> Keep the data files where they are (do not copy)
            </label>
            {/* Enter in a field submits. */}
            <button type="submit" className="cluster-hidden-submit" tabIndex={-1} aria-hidden="true" />
          </form>
        )}
        {error && <ErrorMessage testId="cluster-export-error">Could not export: {error}</ErrorMessage>}
      </ClusterDialog>
    </>
  );
}
