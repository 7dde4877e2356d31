import { ADAPTER_METHODS, methodInfo } from '../../../shared/config/methods';
import '../tools.css';
import { useEffect, useMemo, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatInteger } from '../../lib/format';
import { PathField } from '../new-run/PathField';
import { formatTargets, parseTargets } from '../new-run/targets-text';
import { formatBytes } from '../../lib/bytes';
import { MemoryBars } from './MemoryBars';
import { ModuleTable } from './ModuleTable';
import { PRESET_IDS } from './presets';
import { useInspect, type InspectRequest } from './useInspect';
import { useModels } from './useModels';

type AdapterMethod = 'lora' | 'qlora' | 'adalora';

interface Form {
  model: string;
  method: AdapterMethod;
  rank: string;
  alpha: string;
  targetRank: string;
  targets: string;
  batchSize: string;
  seqLen: string;
}

const positiveInt = (s: string) => (/^\d+$/.test(s.trim()) && Number(s) > 0 ? Number(s) : undefined);
const positive = (s: string) => (s.trim() !== '' && Number.isFinite(Number(s)) && Number(s) > 0 ? Number(s) : undefined);

/** How big an adapter will be and how much training memory it needs, before training: `loralab inspect` in the app. */
export function InspectPage() {
  const models = useModels();
  const [form, setForm] = useState<Form>({
    model: '',
    method: 'lora',
    rank: '8',
    alpha: '16',
    targetRank: '8',
    targets: '',
    batchSize: '8',
    seqLen: '256',
  });
  useEffect(() => {
    document.title = 'Inspect — LoRA Lab';
  }, []);
  useEffect(() => {
    // Start on the bundled model, so the page shows a report at once.
    if (form.model === '' && models[0]) setForm((f) => (f.model === '' ? { ...f, model: models[0]!.path } : f));
  }, [models, form.model]);

  const set = <K extends keyof Form>(key: K) => (value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const request = useMemo<InspectRequest | null>(() => {
    if (form.model.trim() === '') return null;
    return {
      model: form.model.trim(),
      method: form.method,
      rank: positiveInt(form.rank),
      alpha: positive(form.alpha),
      targets: parseTargets(form.targets),
      ...(methodInfo(form.method).budgetedRank ? { targetRank: positiveInt(form.targetRank) } : {}),
      batchSize: positiveInt(form.batchSize),
      seqLen: positiveInt(form.seqLen),
    };
  }, [form]);
  const { report, memory, error, loading } = useInspect(request);

  const { budgetedRank: budgeted, rankPath } = methodInfo(form.method);
  const rankKey = rankPath?.[1] ?? 'r';

  return (
    <div className="page tool-page" data-testid="inspect-page">
      <div className="page-header">
        <div>
          <h1>Inspect</h1>
          <p className="muted page-lede">Adapter size and training memory before you train. Reads safetensors headers only, so large models answer at once.</p>
        </div>
      </div>
      <form className="card tool-form" onSubmit={(e) => e.preventDefault()} aria-label="What to inspect">
        <PathField
          label="Model folder or preset"
          value={form.model}
          onChange={set('model')}
          options={models}
          presets={PRESET_IDS}
          placeholder="/path/to/model or chatglm-6b"
          testId="inspect-model"
        />
        <label className="field">
          <span>Method</span>
          <select value={form.method} onChange={(e) => set('method')(e.target.value as AdapterMethod)} data-testid="inspect-method">
            {ADAPTER_METHODS.map((m) => (
              <option key={m} value={m}>
                {methodInfo(m).label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{budgeted ? `Initial rank (${rankKey})` : `Rank (${rankKey})`}</span>
          <input type="number" min={1} value={form.rank} onChange={(e) => set('rank')(e.target.value)} data-testid="inspect-rank" />
        </label>
        {budgeted && (
          <label className="field">
            <span>Target rank (target_r)</span>
            <input type="number" min={1} value={form.targetRank} onChange={(e) => set('targetRank')(e.target.value)} />
          </label>
        )}
        <label className="field">
          <span>Alpha</span>
          <input type="number" min={0} step="any" value={form.alpha} onChange={(e) => set('alpha')(e.target.value)} data-testid="inspect-alpha" />
        </label>
        <label className="field field-wide">
          <span>Target modules</span>
          <input
            type="text"
            value={form.targets}
            onChange={(e) => set('targets')(e.target.value)}
            placeholder="PEFT's defaults · q_proj, v_proj · /regex/ · all-linear"
            data-testid="inspect-targets"
            spellCheck={false}
          />
        </label>
        <label className="field">
          <span>Batch size</span>
          <input type="number" min={1} value={form.batchSize} onChange={(e) => set('batchSize')(e.target.value)} />
        </label>
        <label className="field">
          <span>Sequence length</span>
          <input type="number" min={1} value={form.seqLen} onChange={(e) => set('seqLen')(e.target.value)} />
        </label>
      </form>

      {error && <ErrorMessage testId="inspect-error">{error}</ErrorMessage>}
      {report && memory && (
        <div className={loading ? 'is-stale' : undefined} aria-busy={loading}>
          <section className="card" aria-labelledby="inspect-adapter">
            <h2 id="inspect-adapter">Adapter</h2>
            <dl className="stats">
              <div>
                <dt>Trainable parameters</dt>
                <dd data-testid="inspect-trainable">{formatInteger(report.trainableParams)}</dd>
              </div>
              <div>
                <dt>Of all parameters</dt>
                <dd>{report.trainablePercent.toFixed(4)} %</dd>
              </div>
              <div>
                <dt>adapter_model.safetensors</dt>
                <dd data-testid="inspect-file-bytes">
                  {formatBytes(report.adapterBytes.fileFloat32)} <span className="muted">fp32</span> · {formatBytes(report.adapterBytes.fileFloat16)}{' '}
                  <span className="muted">fp16</span>
                </dd>
              </div>
              <div>
                <dt>Scaling</dt>
                <dd>{report.scaling.toPrecision(4)}</dd>
              </div>
              <div>
                <dt>Targets</dt>
                <dd className="mono-small">{formatTargets(report.targets) || '—'}</dd>
              </div>
            </dl>
            <div className="size-bar" role="img" aria-label={`${report.trainablePercent.toFixed(4)} % of the parameters are trained`}>
              <span className="size-bar-fill" style={{ width: `${Math.max(report.trainablePercent, 0.3)}%` }} />
            </div>
            <p className="muted size-caption">
              {formatInteger(report.trainableParams)} trained of {formatInteger(report.totalParams)} ({report.model.kind === 'preset' ? `preset ${report.source}` : report.source}
              {report.model.modelType ? `, ${report.model.modelType}` : ''})
              {report.adalora &&
                ` · AdaLoRA keeps on average ${report.adalora.targetR} of ${report.adalora.initR} ranks: ${formatInteger(report.adalora.targetParams)} parameters, ${formatBytes(report.adalora.fileFloat32AtTarget)} at target`}
            </p>
          </section>
          <section className="card" aria-labelledby="inspect-memory">
            <h2 id="inspect-memory">Training memory</h2>
            <p className="muted">
              Batch {report.memory.batchSize} × {report.memory.seqLen} tokens. An estimate: allocator overhead and the runtime context are not counted.
            </p>
            <MemoryBars memory={memory} highlight={report.method === 'adalora' ? 'lora' : report.method} formulas />
          </section>
          <section className="card" aria-labelledby="inspect-modules">
            <h2 id="inspect-modules">Adapted modules ({report.modules.length})</h2>
            <ModuleTable modules={report.modules} />
          </section>
        </div>
      )}
      {!report && !error && <p className="muted">{request ? 'Inspecting…' : 'Choose a model folder or a preset.'}</p>}
    </div>
  );
}
