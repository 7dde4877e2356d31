import { useEffect, useState } from 'react';
import type { DataPreview as Preview } from '../../../shared/ipc/workbench-schemas';
import { client } from '../../api/client';
import { errorMessage } from '../../lib/errors';
import { useDebounced } from '../inspect/useDebounced';

const LIMIT = 4;

/**
 * The first examples of the training file as the trainer sees them: the model's
 * tokenizer and chat template applied, each token shown, and the prompt tokens
 * whose labels are masked out of the loss shaded.
 */
export function DataPreview({ model, file, maxSeqLen }: { model: string | null; file: string | null; maxSeqLen: number }) {
  const key = useDebounced(model && file ? JSON.stringify({ model, file, maxSeqLen }) : null, 400);
  const [state, setState] = useState<{ preview: Preview | null; error: string | null; loading: boolean }>({ preview: null, error: null, loading: false });
  useEffect(() => {
    if (key === null) return;
    const req = JSON.parse(key) as { model: string; file: string; maxSeqLen: number };
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    client.request('data.preview', { ...req, limit: LIMIT }).then(
      (preview) => current && setState({ preview, error: null, loading: false }),
      (err: unknown) => current && setState({ preview: null, error: errorMessage(err), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [key]);

  const { preview, error, loading } = state;
  return (
    <section className="card" aria-labelledby="preview-title" data-testid="data-preview">
      <div className="card-title-row">
        <h2 id="preview-title">Training data</h2>
        <span className="token-legend muted">
          <span className="token token-masked">prompt</span> masked out of the loss · <span className="token">answer</span> learned
        </span>
      </div>
      {!key && <p className="muted">Set a model and a training file to see how they are tokenized.</p>}
      {key && !preview && !error && <p className="muted">Tokenizing the first examples…</p>}
      {error && <p className="field-error" role="alert">{error}</p>}
      {preview && (
        <div className={loading ? 'is-stale' : undefined}>
          <p className="muted">
            {preview.total.toLocaleString('en-US')} examples; the first {preview.examples.length} as tokens
            {preview.errors.length > 0 && <span className="field-error"> · {preview.errors.length} line(s) would fail</span>}
          </p>
          {preview.examples.map((ex) => {
            const learned = ex.tokens.filter((t) => t.learned).length;
            return (
              <div key={ex.line} className="token-example" data-testid="preview-example">
                <div className="token-meta muted">
                  line {ex.line} · {ex.tokens.length} tokens, {learned} learned{ex.truncated ? ` · cut at ${maxSeqLen}` : ''}
                </div>
                <div className="token-row">
                  {ex.tokens.map((t, i) => (
                    <span key={i} className={t.learned ? 'token' : 'token token-masked'} title={`id ${t.id}${t.learned ? '' : ' · masked'}`} data-learned={t.learned}>
                      {visible(t.text)}
                    </span>
                  ))}
                </div>
              </div>
            );
          })}
          {preview.errors.slice(0, 3).map((e) => (
            <p key={e.line} className="field-error">
              line {e.line}: {e.message}
            </p>
          ))}
        </div>
      )}
    </section>
  );
}

/** Whitespace made visible, so token boundaries read: a newline as ↵, a tab as →. */
function visible(text: string): string {
  return text.replace(/\n/g, '↵').replace(/\t/g, '→') || '∅';
}
