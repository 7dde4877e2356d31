import { formatBytes } from '../../lib/bytes';
import { formatInteger } from '../../lib/format';
import type { MetricSeries } from './metrics-merge';
import { MEMORY_METRIC, metricLabel } from './run-charts';

/**
 * The memory figures a run recorded: the engine's peak RSS, and for QLoRA what its
 * 4-bit NF4 base keeps resident beside what the same weights take in float32
 * (Dettmers et al. 2023, "QLoRA"; bitsandbytes functional.py `quantize_4bit`).
 */
export function MemoryCard({ metrics }: { metrics: MetricSeries }) {
  const figures = [...metrics.entries()].filter(([name]) => MEMORY_METRIC.test(name));
  return (
    <section className="card" aria-labelledby="memory-title" data-testid="run-memory">
      <h2 id="memory-title">Memory</h2>
      {figures.length === 0 ? (
        <p className="muted">This run recorded no memory figures (runs from before they were recorded have none).</p>
      ) : (
        <dl className="stats">
          {figures.map(([name, points]) => {
            const last = points[points.length - 1]!;
            return (
              <div key={name}>
                <dt>{metricLabel(name)}</dt>
                <dd data-testid={`memory-${name}`}>
                  {formatBytes(last.value)} <span className="muted">at step {formatInteger(last.step)}</span>
                </dd>
              </div>
            );
          })}
        </dl>
      )}
    </section>
  );
}
