import '../tools.css';
import { useEffect, useMemo, useState } from 'react';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { PathField } from '../new-run/PathField';
import { useModels } from '../inspect/useModels';
import { AdapterList } from './AdapterList';
import { EMPTY_PLAN, defaultOutFor, hasQlora, mergeRequest, type AdapterChoice, type MergePlan } from './merge-plan';
import { MissingHint, hintTone, useAttention } from './missing-hint';
import { MergeProgress } from './MergeProgress';
import { useJob } from './useJob';
import { useRegistryAdapters } from './useRegistryAdapters';

/**
 * Merge & export: W' = W + Σ wᵢ·(αᵢ/rᵢ)·BᵢAᵢ into a standalone model folder,
 * optionally verified against base + adapter, recorded as an artifact of its run.
 * The merge runs in an engine process; the page only follows its events.
 */
export function MergePage() {
  const models = useModels();
  const registry = useRegistryAdapters();
  const job = useJob();
  const [plan, setPlan] = useState<MergePlan>(EMPTY_PLAN);
  const attention = useAttention();
  useEffect(() => {
    document.title = 'Merge & export — LoRA Lab';
  }, []);
  const checked = useMemo(() => mergeRequest(plan), [plan]);
  const busy = job.view.phase === 'starting' || job.view.phase === 'running';

  const setAdapters = (adapters: AdapterChoice[]) => {
    attention.touch('adapters');
    setPlan((p) => {
      const first = adapters[0];
      const fromRun = first ? registry.adapters.find((a) => a.path === first.path) : undefined;
      return {
        ...p,
        adapters,
        // The first adapter fills in its base model and an output beside it, unless already chosen.
        base: p.base === '' && fromRun ? fromRun.baseModel : p.base,
        out: p.out === '' && first?.path ? defaultOutFor(first.path) : p.out,
      };
    });
  };

  const start = () => {
    if (!('request' in checked)) {
      attention.attempt();
      return;
    }
    const request = checked.request;
    void job.start(() => client.request('merge.start', request));
  };

  return (
    <div className="page tool-page" data-testid="merge-page">
      <div className="page-header">
        <div>
          <h1>Merge &amp; export</h1>
          <p className="muted page-lede">Fold one or more adapters into the base weights and write a standalone model (safetensors, Hugging Face layout).</p>
        </div>
      </div>
      <ol className="wizard">
        <li className="card">
          <h2>1 · Adapters</h2>
          {registry.error && <ErrorMessage>Could not read the registry: {registry.error}</ErrorMessage>}
          <AdapterList adapters={plan.adapters} registry={registry.adapters} loaded={registry.loaded} onChange={setAdapters} disabled={busy} />
        </li>
        <li className="card">
          <h2>2 · Base model</h2>
          <div className="tool-form">
            <PathField
              label="Base model folder"
              value={plan.base}
              onChange={(base) => {
                attention.touch('base');
                setPlan((p) => ({ ...p, base }));
              }}
              options={models}
              testId="merge-base"
              className="field field-full"
            />
          </div>
          {hasQlora(plan) && (
            <fieldset className="choice" data-testid="qlora-base">
              <legend>A QLoRA adapter: merge into which base?</legend>
              <label>
                <input type="radio" name="qlora-base" checked={plan.qloraBase === 'dequantized'} onChange={() => setPlan((p) => ({ ...p, qloraBase: 'dequantized' }))} />{' '}
                <strong>Dequantized NF4 base</strong> — the weights the adapter was trained against (NF4 rounded back to floats). The merged model
                reproduces the QLoRA model exactly, but carries the 4-bit rounding error in every weight.
              </label>
              <label>
                <input type="radio" name="qlora-base" checked={plan.qloraBase === 'original'} onChange={() => setPlan((p) => ({ ...p, qloraBase: 'original' }))} />{' '}
                <strong>Original wide base</strong> — full-precision weights plus the adapter. Cleaner weights, but the adapter learned to correct the
                quantized ones, so outputs differ slightly from what was trained; verification measures by how much.
              </label>
            </fieldset>
          )}
        </li>
        <li className="card">
          <h2>3 · Output</h2>
          <div className="tool-form">
            <PathField
              label="Output folder (must not exist yet)"
              value={plan.out}
              onChange={(out) => {
                attention.touch('out');
                setPlan((p) => ({ ...p, out }));
              }}
              testId="merge-out"
              className="field field-full"
            />
            <label className="field">
              <span>Data type</span>
              <select value={plan.dtype} onChange={(e) => setPlan((p) => ({ ...p, dtype: e.target.value as MergePlan['dtype'] }))} data-testid="merge-dtype">
                <option value="float32">float32</option>
                <option value="float16">float16</option>
                <option value="bfloat16">bfloat16</option>
              </select>
            </label>
            <label className="field">
              <span>Max shard size</span>
              <input
                type="text"
                value={plan.shardSize}
                placeholder="5GB"
                onChange={(e) => {
                  attention.touch('shardSize');
                  const shardSize = e.target.value;
                  setPlan((p) => ({ ...p, shardSize }));
                }}
                data-testid="merge-shard"
              />
            </label>
            <label className="field checkbox-field">
              <input type="checkbox" checked={plan.verify} onChange={(e) => setPlan((p) => ({ ...p, verify: e.target.checked }))} data-testid="merge-verify" />
              <span>Verify: compare the merged model's logits with base + adapter</span>
            </label>
          </div>
        </li>
      </ol>
      <div className="start-bar">
        {/* Clickable while something is missing: the click says what (the hint turns to an error). */}
        <button
          type="button"
          className="button primary"
          disabled={busy}
          aria-disabled={'missing' in checked || undefined}
          aria-describedby={'missing' in checked ? 'merge-missing' : undefined}
          onClick={start}
          data-testid="merge-start"
        >
          {busy ? 'Merging…' : 'Merge'}
        </button>
        {busy && (
          <button type="button" className="button" onClick={() => void job.cancel()} data-testid="merge-cancel">
            Cancel
          </button>
        )}
        {'missing' in checked && <MissingHint text={checked.missing} tone={hintTone(checked.field, attention.touched, attention.attempted)} testId="merge-missing" />}
      </div>
      <MergeProgress view={job.view} />
    </div>
  );
}
