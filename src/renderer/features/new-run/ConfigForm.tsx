import { useEffect, useRef, useState } from 'react';
import { METHOD_INFO, METHOD_SECTIONS } from '../../../shared/config/methods';
import { METHODS, type Method } from '../../../shared/config/run-config';
import type { ModelEntry } from '../../../shared/ipc/workbench-schemas';
import { getPath, type ConfigEdit } from './config-text';
import { FORM_FIELDS, fieldLabel, fieldPlaceholder, fieldShown, fieldText, fieldValue, type FormField } from './form-fields';
import { PathField } from './PathField';

const METHOD_LABEL: Record<string, string> = { lora: 'LoRA', qlora: 'QLoRA (NF4 base)', adalora: 'AdaLoRA', full: 'Full fine-tuning' };

/** The common fields, read from the editor's document and written back into it. */
export function ConfigForm({
  value,
  disabled,
  models,
  onSet,
}: {
  value: unknown;
  /** The text does not parse: the form waits for the editor. */
  disabled: boolean;
  models: ModelEntry[];
  onSet: (edits: ConfigEdit[]) => void;
}) {
  const method = String(getPath(value, ['method']) ?? 'lora');
  const model = getPath(value, ['model']);
  return (
    <fieldset className="card tool-form config-form" disabled={disabled} data-testid="config-form">
      <legend className="visually-hidden">Common fields</legend>
      <PathField
        label="Base model"
        value={typeof model === 'string' ? model : ''}
        onChange={(p) => onSet([[['model'], p === '' ? undefined : p]])}
        options={models}
        placeholder="a Hugging Face model folder"
        testId="field-model"
      />
      <label className="field">
        <span>Method</span>
        <select value={method} onChange={(e) => onSet(methodEdits(e.target.value as Method))} data-testid="field-method">
          {METHODS.map((m) => (
            <option key={m} value={m}>
              {METHOD_LABEL[m] ?? m}
            </option>
          ))}
        </select>
      </label>
      {FORM_FIELDS.filter((f) => fieldShown(f, method)).map((f) => (
        <DraftField
          key={f.id}
          field={f}
          label={fieldLabel(f, method)}
          placeholder={fieldPlaceholder(f, method)}
          text={fieldText(f, value, method)}
          onSet={(v) => onSet([[f.path(method), v]])}
        />
      ))}
      {disabled && <p className="muted field-wide">The config does not parse; fix it in the editor and the form follows.</p>}
    </fieldset>
  );
}

/**
 * Choosing a method in the form also drops the sections the new method does not
 * read (a lora section under method full is a config error): the form edits the
 * method as a whole; the editor keeps any combination for the schema to judge.
 */
function methodEdits(method: Method): ConfigEdit[] {
  const keep = METHOD_INFO[method].sections as readonly string[];
  return [[['method'], method], ...METHOD_SECTIONS.filter((s) => !keep.includes(s)).map((s): ConfigEdit => [[s], undefined])];
}

/** An input that keeps what is being typed until it is a value, and follows the editor otherwise. */
function DraftField({
  field,
  label,
  placeholder,
  text,
  onSet,
}: {
  field: FormField;
  label: string;
  placeholder: string | undefined;
  text: string;
  onSet: (value: unknown) => void;
}) {
  const [draft, setDraft] = useState(text);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (document.activeElement !== input.current) setDraft(text);
  }, [text]);
  const wide = field.kind === 'path' || field.kind === 'targets';
  return (
    <label className={wide ? 'field field-wide' : 'field'}>
      <span>{label}</span>
      <input
        ref={input}
        type="text"
        inputMode={field.kind === 'int' ? 'numeric' : field.kind === 'number' ? 'decimal' : undefined}
        value={draft}
        placeholder={placeholder}
        spellCheck={false}
        data-testid={`field-${field.id}`}
        onChange={(e) => {
          setDraft(e.target.value);
          const next = fieldValue(field, e.target.value);
          if (next !== 'invalid') onSet(next.value);
        }}
        onBlur={() => setDraft(text)}
      />
    </label>
  );
}
