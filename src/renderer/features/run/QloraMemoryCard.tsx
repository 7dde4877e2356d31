import { formatBytes } from '../../lib/bytes';
import { formatInteger } from '../../lib/format';
import type { MetricSeries } from './metrics-merge';
import { metricLabel } from './run-charts';

/** Metric names that hold a memory figure in bytes (the quantized base's resident size among them). */
export const MEMORY_METRIC = /(memory|resident|rss|bytes)/i;

/**
 * QLoRA keeps the base model in 4-bit NF4 (Dettmers et al. 2023, "QLoRA"; bitsandbytes
 * functional.py `quantize_4bit`): the card shows the memory figures the run recorded.
 */
export function QloraMemoryCard({ metrics }: { metrics: MetricSeries }) {
  const figures = [...metrics.entries()].filter(([name]) => MEMORY_METRIC.test(name));
  return (
    <section className="card" aria-labelledby="qlora-title" data-testid="qlora-memory">
      <h2 id="qlora-title">Quantized base memory</h2>
      {figures.length === 0 ? (
        <p className="muted">This run recorded no memory figure for its NF4 base.</p>
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
