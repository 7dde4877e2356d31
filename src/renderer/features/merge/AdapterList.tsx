import { useEffect, useRef, useState } from 'react';
import { client } from '../../api/client';
import { formatTimestamp } from '../../lib/format';
import type { AdapterChoice } from './merge-plan';
import type { RegistryAdapter } from './useRegistryAdapters';

/** The adapters to merge, each with its weight: picked from the registry or typed as a folder on disk. */
export function AdapterList({
  adapters,
  registry,
  loaded,
  onChange,
  disabled,
}: {
  adapters: AdapterChoice[];
  registry: RegistryAdapter[];
  loaded: boolean;
  onChange: (adapters: AdapterChoice[]) => void;
  disabled: boolean;
}) {
  const [pick, setPick] = useState('');
  // A row added to type a path in takes the focus, so the keyboard lands where the typing goes.
  const [focusRow, setFocusRow] = useState<number | null>(null);
  const rows = useRef<(HTMLInputElement | null)[]>([]);
  useEffect(() => {
    if (focusRow === null) return;
    rows.current[focusRow]?.focus();
    setFocusRow(null);
  }, [focusRow]);
  const add = (choice: AdapterChoice) => onChange([...adapters, choice]);
  const update = (i: number, patch: Partial<AdapterChoice>) => onChange(adapters.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  const fromRegistry = () => {
    const a = registry.find((r) => r.path === pick);
    if (!a) return;
    add({ path: a.path, weight: '1', runId: a.runId, method: a.method });
    setPick('');
  };
  // In the app a folder dialog picks it; a browser page cannot, so it adds a row to type the path in.
  const fromDisk = async () => {
    let path = '';
    if (window.loralab) path = (await client.request('system.pickFolder', {}).catch(() => ({ path: null }))).path ?? '';
    if (window.loralab && path === '') return;
    add({ path, weight: '1', runId: null, method: null });
    if (path === '') setFocusRow(adapters.length);
  };
  return (
    <fieldset className="adapter-list" disabled={disabled}>
      <legend className="visually-hidden">Adapters</legend>
      {adapters.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Adapter folder</th>
              <th scope="col">Weight</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {adapters.map((a, i) => (
              <tr key={i}>
                <td>
                  <input
                    ref={(el) => {
                      rows.current[i] = el;
                    }}
                    type="text"
                    className="wide-input"
                    aria-label={`Adapter ${i + 1} folder`}
                    value={a.path}
                    onChange={(e) => update(i, { path: e.target.value, runId: null, method: null })}
                    spellCheck={false}
                    data-testid={`merge-adapter-path-${i}`}
                  />
                  {a.runId !== null && (
                    <div className="muted small-note">
                      run #{a.runId} · {a.method}
                    </div>
                  )}
                </td>
                <td>
                  <input
                    type="text"
                    inputMode="decimal"
                    className="weight-input"
                    aria-label={`Adapter ${i + 1} weight`}
                    value={a.weight}
                    onChange={(e) => update(i, { weight: e.target.value })}
                    data-testid={`merge-adapter-weight-${i}`}
                  />
                </td>
                <td>
                  <button type="button" className="button small" onClick={() => onChange(adapters.filter((_, j) => j !== i))} aria-label={`Remove adapter ${i + 1}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="adapter-add">
        <label className="field">
          <span>From the registry</span>
          <select value={pick} onChange={(e) => setPick(e.target.value)} data-testid="merge-registry-adapter">
            <option value="">{loaded ? (registry.length === 0 ? 'No adapters recorded yet' : 'Choose a run’s adapter…') : 'Loading…'}</option>
            {registry.map((a) => (
              <option key={a.path} value={a.path}>
                #{a.runId} {a.runName} · {a.method} · {formatTimestamp(a.createdAt)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button" disabled={pick === ''} onClick={fromRegistry} data-testid="merge-add-registry">
          Add
        </button>
        <button type="button" className="button" onClick={fromDisk} data-testid="merge-add-disk">
          Add a folder from disk
        </button>
      </div>
      {adapters.length > 1 && <p className="muted small-note">Weighted merge: W′ = W + Σ wᵢ · ΔWᵢ. A negative weight subtracts an adapter (unmerge).</p>}
    </fieldset>
  );
}
