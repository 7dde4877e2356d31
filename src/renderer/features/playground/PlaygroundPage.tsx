import '../tools.css';
import { useEffect, useState } from 'react';
import type { RequestOf } from '../../../shared/ipc/contract';
import { client } from '../../api/client';
import { useModels } from '../inspect/useModels';
import { useJob } from '../merge/useJob';
import { MissingHint, hintTone, useAttention } from '../merge/missing-hint';
import { useRegistryAdapters } from '../merge/useRegistryAdapters';
import { PathField } from '../new-run/PathField';
import { OutputPane } from './OutputPane';
import { SamplingFields, DEFAULT_SAMPLING, samplingRequest, type Sampling } from './SamplingFields';

/**
 * One prompt through the base model and through base + adapter, side by side,
 * tokens streaming in as each engine process decodes them.
 */
export function PlaygroundPage() {
  const models = useModels();
  const registry = useRegistryAdapters();
  const base = useJob();
  const tuned = useJob();
  const [model, setModel] = useState('');
  const [adapter, setAdapter] = useState('');
  const [prompt, setPrompt] = useState('');
  const [chat, setChat] = useState(true);
  const [nf4, setNf4] = useState(false);
  const [sampling, setSampling] = useState<Sampling>(DEFAULT_SAMPLING);
  const attention = useAttention();
  useEffect(() => {
    document.title = 'Playground — LoRA Lab';
  }, []);
  // A QLoRA adapter was trained against the NF4-quantized base: load the base that way too.
  const fromRun = registry.adapters.find((a) => a.path === adapter.trim());
  useEffect(() => {
    if (fromRun) setNf4(fromRun.method === 'qlora');
  }, [fromRun]);
  useEffect(() => {
    // Start on the newest adapter in the registry and the model it was trained on.
    const newest = registry.adapters[0];
    if (newest) {
      setAdapter((a) => a || newest.path);
      setModel((m) => m || newest.baseModel);
    } else if (models[0]) setModel((m) => m || models[0]!.path);
  }, [registry.adapters, models]);

  const busy = [base, tuned].some((j) => j.view.phase === 'starting' || j.view.phase === 'running');
  const settings = samplingRequest(sampling);
  const missing: { reason: string; field: 'model' | 'prompt' | 'sampling' } | null =
    model.trim() === ''
      ? { reason: 'Choose a base model.', field: 'model' }
      : prompt.trim() === ''
        ? { reason: 'Write a prompt.', field: 'prompt' }
        : typeof settings === 'string'
          ? { reason: settings, field: 'sampling' }
          : null;

  const run = () => {
    if (missing !== null || typeof settings === 'string') {
      attention.attempt();
      return;
    }
    const common: Omit<RequestOf<'generate.start'>, 'adapter'> = { model: model.trim(), prompt, chat, quantize: nf4 ? 'nf4' : null, ...settings };
    void base.start(() => client.request('generate.start', { ...common, adapter: null }));
    if (adapter.trim() !== '') void tuned.start(() => client.request('generate.start', { ...common, adapter: adapter.trim() }));
    else tuned.reset();
  };
  const stop = () => {
    void base.cancel();
    void tuned.cancel();
  };

  return (
    <div className="page tool-page" data-testid="playground-page">
      <div className="page-header">
        <div>
          <h1>Playground</h1>
          <p className="muted page-lede">The same prompt and sampling through the base model and through base + adapter.</p>
        </div>
      </div>
      <form
        className="card tool-form"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
        aria-label="Generation"
      >
        <PathField
          label="Base model"
          value={model}
          onChange={(m) => {
            attention.touch('model');
            setModel(m);
          }}
          options={models}
          testId="play-model"
          className="field field-full"
        />
        <label className="field field-wide">
          <span>Adapter (empty: base model only)</span>
          <input type="text" list="play-adapters" value={adapter} onChange={(e) => setAdapter(e.target.value)} spellCheck={false} data-testid="play-adapter" />
          <datalist id="play-adapters">
            {registry.adapters.map((a) => (
              <option key={a.path} value={a.path}>
                #{a.runId} {a.runName} · {a.method}
              </option>
            ))}
          </datalist>
        </label>
        <label className="field field-full">
          <span>Prompt</span>
          <textarea
            rows={4}
            value={prompt}
            onChange={(e) => {
              attention.touch('prompt');
              setPrompt(e.target.value);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                run();
              }
            }}
            placeholder="Ask something. Ctrl+Enter generates."
            data-testid="play-prompt"
          />
        </label>
        <label className="field checkbox-field">
          <input type="checkbox" checked={chat} onChange={(e) => setChat(e.target.checked)} data-testid="play-chat" />
          <span>Apply the model's chat template (off: the prompt is sent raw)</span>
        </label>
        <label className="field checkbox-field">
          <input type="checkbox" checked={nf4} onChange={(e) => setNf4(e.target.checked)} data-testid="play-nf4" />
          <span>Load the base quantized to NF4, as QLoRA trains it{fromRun?.method === 'qlora' ? ' (this adapter is from a QLoRA run)' : ''}</span>
        </label>
        <SamplingFields
          value={sampling}
          onChange={(s) => {
            attention.touch('sampling');
            setSampling(s);
          }}
        />
        <div className="start-bar field-full">
          {/* Clickable while something is missing: the click says what (the hint turns to an error). */}
          <button
            type="submit"
            className="button primary"
            disabled={busy}
            aria-disabled={missing !== null || undefined}
            aria-describedby={missing ? 'play-missing' : undefined}
            data-testid="play-generate"
          >
            {busy ? 'Generating…' : 'Generate'}
          </button>
          {busy && (
            <button type="button" className="button" onClick={stop} data-testid="play-stop">
              Stop
            </button>
          )}
          {missing && <MissingHint text={missing.reason} tone={hintTone(missing.field, attention.touched, attention.attempted)} testId="play-missing" />}
        </div>
      </form>
      <div className="play-outputs">
        <OutputPane title="Base model" view={base.view} testId="play-out-base" />
        <OutputPane title="Base + adapter" view={tuned.view} testId="play-out-adapter" empty={adapter.trim() === '' ? 'No adapter chosen.' : undefined} />
      </div>
    </div>
  );
}
