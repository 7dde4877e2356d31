import type { MemoryTerm } from '../../../shared/math/memory';
import { formatBytes } from '../../lib/bytes';
import { METHOD_LABEL, type MethodMemory } from './memory-compare';

const TERM_LABEL: Record<MemoryTerm['name'], string> = {
  weights: 'Weights',
  adapter: 'Adapter',
  gradients: 'Gradients',
  optimizer: 'Optimizer (AdamW)',
  activations: 'Activations',
  logits: 'Logits',
};

/**
 * One stacked bar per method (LoRA, QLoRA, full), on one scale, each segment a
 * memory term. `formulas` lists every term with its formula under its bar.
 */
export function MemoryBars({ memory, highlight, formulas = false }: { memory: MethodMemory[]; highlight?: string; formulas?: boolean }) {
  const max = Math.max(...memory.map((m) => m.totalBytes), 1);
  return (
    <div className="memory-bars" data-testid="memory-bars">
      {memory.map((m) => (
        <div key={m.method} className={`memory-method${m.method === highlight ? ' is-current' : ''}`} data-testid={`memory-${m.method}`}>
          <div className="memory-label">
            <span className="memory-name">{METHOD_LABEL[m.method]}</span>
            <span className="memory-total" data-testid={`memory-${m.method}-total`} data-bytes={m.totalBytes}>
              {formatBytes(m.totalBytes)}
            </span>
          </div>
          <div className="memory-track" role="img" aria-label={`${METHOD_LABEL[m.method]}: ${formatBytes(m.totalBytes)} of training memory`}>
            {m.terms.map((t) => (
              <span
                key={t.name}
                className={`memory-seg term-${t.name}`}
                style={{ width: `${(100 * t.bytes) / max}%` }}
                title={`${TERM_LABEL[t.name]}: ${formatBytes(t.bytes)} = ${t.formula}`}
              />
            ))}
          </div>
          {formulas && (
            <table className="table memory-terms">
              <tbody>
                {m.terms.map((t) => (
                  <tr key={t.name}>
                    <th scope="row">
                      <span className={`term-dot term-${t.name}`} aria-hidden="true" />
                      {TERM_LABEL[t.name]}
                    </th>
                    <td className="num nowrap">{formatBytes(t.bytes)}</td>
                    <td className="formula">{t.formula}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
      {!formulas && (
        <ul className="memory-legend">
          {(Object.keys(TERM_LABEL) as Array<MemoryTerm['name']>).map((name) => (
            <li key={name}>
              <span className={`term-dot term-${name}`} aria-hidden="true" />
              {TERM_LABEL[name]}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
