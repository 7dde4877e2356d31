import '../tools.css';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RunConfig, RunConfigInput } from '../../../shared/config/run-config';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { errorMessage } from '../../lib/errors';
import { navigate } from '../../useHashRoute';
import type { InspectRequest } from '../inspect/useInspect';
import { useModels } from '../inspect/useModels';
import { ConfigEditor } from './ConfigEditor';
import { ConfigForm } from './ConfigForm';
import { checkConfigText, configToText, convertConfigText, setConfigField, setConfigFields, type ConfigEdit, type ConfigFormat } from './config-text';
import { DataPreview } from './DataPreview';
import { continuationConfig, parseNewRunQuery } from './prefill';
import { RunEstimate } from './RunEstimate';
import { StartBar } from './StartBar';

/** A run config written in Monaco or through the form (kept in sync), checked as you type, and started. */
export function NewRunPage() {
  const models = useModels();
  const [text, setText] = useState<string | null>(null);
  const [format, setFormat] = useState<ConfigFormat>('yaml');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  // Read once: the page is mounted per route, and "Continue from here" links carry the query.
  const [query] = useState(() => parseNewRunQuery(window.location.hash));

  useEffect(() => {
    document.title = 'New run — LoRA Lab';
    let current = true;
    const load = async (): Promise<string> => {
      if (query.copyOf) return configToText((await client.request('runs.get', { runId: query.copyOf })).config, 'yaml');
      if (query.fromRun !== null) {
        const run = await client.request('runs.get', { runId: query.fromRun });
        return configToText(continuationConfig(run.config, query), 'yaml');
      }
      const { yaml } = await client.request('config.defaults', {});
      return query.initFrom ? setConfigField(yaml, 'yaml', ['init_from'], query.initFrom) : yaml;
    };
    load().then(
      (t) => current && setText(t),
      (err: unknown) => current && setLoadError(errorMessage(err)),
    );
    return () => {
      current = false;
    };
  }, [query]);

  const checked = useMemo(() => checkConfigText(text ?? ''), [text]);
  // The estimate and the preview follow the last config that was valid, so they do
  // not flicker away while a value is half typed.
  const [lastValid, setLastValid] = useState<RunConfig | null>(null);
  useEffect(() => {
    if (checked.config) setLastValid(checked.config);
  }, [checked.config]);

  const setFields = useCallback(
    (edits: ConfigEdit[]) => {
      if (text === null) return;
      try {
        setText(setConfigFields(text, format, edits));
        setFormError(null);
      } catch (err) {
        setFormError(errorMessage(err));
      }
    },
    [text, format],
  );

  const switchFormat = (to: ConfigFormat) => {
    if (to === format || text === null) return;
    try {
      setText(convertConfigText(text, to));
      setFormat(to);
      setFormError(null);
    } catch (err) {
      setFormError(`Cannot switch to ${to.toUpperCase()}: ${errorMessage(err)}`);
    }
  };

  const start = async () => {
    const { runId } = await client.request('runs.start', { config: checked.value as RunConfigInput });
    navigate({ page: 'run', runId });
  };

  const estimate = useMemo<InspectRequest | null>(() => inspectRequestFor(lastValid), [lastValid]);

  return (
    <div className="page tool-page new-run-page" data-testid="new-run-page">
      <div className="page-header">
        <div>
          <h1>New run</h1>
          <p className="muted page-lede">Write the config here or fill in the form; both edit the same document. Hover a key for its meaning; Ctrl+Space completes.</p>
        </div>
      </div>
      {(query.fromRun !== null || query.initFrom) && (
        // init_from is the config's last key, out of view: say up front where the weights start.
        <p className="continues-note" data-testid="continues-note">
          Continues {query.fromRun !== null && <a href={`#/runs/${query.fromRun}`}>run #{query.fromRun}</a>}
          {query.initFrom && (
            <>
              {query.fromRun !== null && ' '}from <code>{query.initFrom}</code>
            </>
          )}
          : the new run starts from those weights (<code>init_from</code> in the config) and is recorded as its child.
        </p>
      )}
      {query.copyOf && (
        <p className="continues-note" data-testid="copy-note">
          The config of <a href={`#/runs/${query.copyOf}`}>run #{query.copyOf}</a>, as it was started: change what it needs and start a new run.
        </p>
      )}
      {loadError && <ErrorMessage testId="new-run-load-error">Could not load a starting config: {loadError}</ErrorMessage>}
      {text !== null && (
        <>
          <div className="new-run-grid">
            <section className="card editor-card" aria-labelledby="editor-title">
              <div className="card-title-row">
                <h2 id="editor-title">Config</h2>
                <div className="segmented" role="group" aria-label="Notation">
                  {(['yaml', 'json'] as const).map((f) => (
                    <button key={f} type="button" aria-pressed={format === f} onClick={() => switchFormat(f)} data-testid={`format-${f}`}>
                      {f.toUpperCase()}
                    </button>
                  ))}
                </div>
              </div>
              <ConfigEditor value={text} onChange={setText} problems={checked.problems} />
              <p className="muted small-note editor-keys">
                Tab indents inside the editor; Ctrl+M switches Tab to moving the focus. F8 goes to the next problem.
              </p>
              {formError && <p className="field-error">{formError}</p>}
              <ProblemList problems={checked.problems} />
            </section>
            <ConfigForm value={checked.value} disabled={checked.problems.some((p) => p.source === 'syntax')} models={models} onSet={setFields} />
          </div>
          <StartBar problems={checked.problems} onStart={start} />
          <div className="new-run-grid">
            <RunEstimate request={estimate} method={lastValid?.method ?? 'lora'} />
            <DataPreview model={lastValid?.model ?? null} file={lastValid?.data.train ?? null} maxSeqLen={lastValid?.data.max_seq_len ?? 256} />
          </div>
        </>
      )}
      {text === null && !loadError && <p className="muted">Loading the starter config…</p>}
    </div>
  );
}

function ProblemList({ problems }: { problems: ReturnType<typeof checkConfigText>['problems'] }) {
  if (problems.length === 0) return <p className="config-ok" data-testid="config-ok">The config is valid.</p>;
  return (
    <ul className="problem-list" data-testid="config-problems" aria-label="Problems in the config">
      {problems.map((p, i) => (
        <li key={i}>
          <span className="problem-where">line {p.line}</span> {p.path && <code>{p.path}</code>} {p.message}
        </li>
      ))}
    </ul>
  );
}

function inspectRequestFor(config: RunConfig | null): InspectRequest | null {
  if (!config) return null;
  const adalora = config.method === 'adalora';
  return {
    model: config.model,
    // Full fine-tuning has no adapter; its memory is derived alongside LoRA's.
    method: config.method === 'full' ? 'lora' : config.method,
    rank: adalora ? config.adalora?.init_r : config.lora?.r,
    ...(adalora && config.adalora ? { targetRank: config.adalora.target_r } : {}),
    alpha: config.lora?.alpha,
    targets: config.lora?.targets ?? null,
    rslora: config.lora?.rslora,
    batchSize: config.train.batch_size,
    seqLen: config.data.max_seq_len,
  };
}
