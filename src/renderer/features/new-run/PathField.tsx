import { useId, useState } from 'react';
import type { ModelEntry } from '../../../shared/ipc/workbench-schemas';
import { client } from '../../api/client';
import { errorMessage } from '../../lib/errors';

/**
 * A folder path: typed (with bundled and recent models offered), or, in the
 * Electron app, chosen in the system's folder dialog. A browser page cannot open
 * one, so there the field alone is shown.
 */
export function PathField({
  label,
  value,
  onChange,
  options = [],
  presets = [],
  placeholder,
  testId,
  className = 'field field-wide',
}: {
  label: string;
  value: string;
  onChange: (path: string) => void;
  options?: ModelEntry[];
  /** Other values offered beside the folders (Inspect's preset ids). */
  presets?: readonly string[];
  placeholder?: string;
  testId?: string;
  className?: string;
}) {
  const listId = useId();
  const [error, setError] = useState<string | null>(null);
  const offered = options.length + presets.length > 0;
  const canPick = typeof window !== 'undefined' && window.loralab !== undefined;
  const pick = async () => {
    setError(null);
    try {
      const { path } = await client.request('system.pickFolder', {});
      if (path) onChange(path);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <label className={className}>
      <span>{label}</span>
      <span className="path-input">
        <input
          type="text"
          value={value}
          list={offered ? listId : undefined}
          onChange={(e) => onChange(e.target.value)}
          placeholder={placeholder}
          spellCheck={false}
          data-testid={testId}
        />
        {canPick && (
          <button type="button" className="button" onClick={pick}>
            Browse…
          </button>
        )}
      </span>
      {offered && (
        <datalist id={listId}>
          {options.map((m) => (
            <option key={m.path} value={m.path}>
              {m.name} · {m.source}
            </option>
          ))}
          {presets.map((id) => (
            <option key={id} value={id}>
              preset
            </option>
          ))}
        </datalist>
      )}
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}
