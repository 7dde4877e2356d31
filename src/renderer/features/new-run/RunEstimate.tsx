import { formatInteger } from '../../lib/format';
import { formatBytes } from '../../lib/bytes';
import { MemoryBars } from '../inspect/MemoryBars';
import { useInspect, type InspectRequest } from '../inspect/useInspect';

/** The adapter size and LoRA / QLoRA / full memory for the config as it stands, updated as rank and targets change. */
export function RunEstimate({ request, method }: { request: InspectRequest | null; method: string }) {
  const { report, memory, error, loading } = useInspect(request, 300);
  return (
    <section className="card" aria-labelledby="estimate-title" data-testid="run-estimate">
      <h2 id="estimate-title">Size and memory</h2>
      {!request && <p className="muted">Set a base model to see the adapter size.</p>}
      {error && <p className="field-error">{error}</p>}
      {report && memory && (
        <div className={loading ? 'is-stale' : undefined}>
          <dl className="stats compact">
            <div>
              <dt>{method === 'full' ? 'Trainable (all)' : 'Trainable parameters'}</dt>
              <dd data-testid="estimate-trainable">{formatInteger(method === 'full' ? report.baseParams : report.trainableParams)}</dd>
            </div>
            {method !== 'full' && (
              <div>
                <dt>Adapter file</dt>
                <dd data-testid="estimate-adapter-bytes">{formatBytes(report.adapterBytes.fileFloat32)}</dd>
              </div>
            )}
            <div>
              <dt>Modules</dt>
              <dd>{report.modules.length}</dd>
            </div>
          </dl>
          <MemoryBars memory={memory} highlight={method === 'adalora' ? 'lora' : method} />
        </div>
      )}
    </section>
  );
}
