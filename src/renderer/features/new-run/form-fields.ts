// The common fields the New run form edits, each tied to its config path. The rank
// is lora.r, except for AdaLoRA where the rank its layers start with is adalora.init_r
// (and its budget's target_r has a field of its own).
import { methodInfo } from '../../../shared/config/methods';
import type { Method } from '../../../shared/config/run-config';
import { getPath, type ConfigPath } from './config-text';
import { formatTargets, parseTargets } from './targets-text';

export type FieldKind = 'int' | 'number' | 'text' | 'targets' | 'path';

export interface FormField {
  id: string;
  label: string;
  kind: FieldKind;
  path: (method: string) => ConfigPath;
  /** Shown greyed when the key is absent: the schema's default. */
  placeholder?: string;
  hideFor?: string[];
  /** Shown only for these methods. */
  showFor?: string[];
  /** A method whose key has another name or default (AdaLoRA's rank is init_r, 12 by default). */
  byMethod?: Record<string, { label: string; placeholder: string }>;
}

export const FORM_FIELDS: FormField[] = [
  {
    id: 'rank',
    label: 'Rank (r)',
    kind: 'int',
    path: (m) => [...(methodInfo(m as Method).rankPath ?? ['lora', 'r'])],
    placeholder: '8',
    hideFor: ['full'],
    byMethod: { adalora: { label: 'Initial rank (init_r)', placeholder: '12' } },
  },
  // AdaLoRA prunes from init_r to an average of target_r per matrix (Zhang et al. 2023, AdaLoRA's global
  // budget scheduler; PEFT's RankAllocator in peft/tuners/adalora/layer.py).
  { id: 'target-rank', label: 'Target rank (target_r)', kind: 'int', path: () => ['adalora', 'target_r'], placeholder: '8', showFor: ['adalora'] },
  { id: 'alpha', label: 'Alpha', kind: 'number', path: () => ['lora', 'alpha'], placeholder: '16', hideFor: ['full'] },
  { id: 'targets', label: 'Target modules', kind: 'targets', path: () => ['lora', 'targets'], placeholder: "PEFT's defaults", hideFor: ['full'] },
  { id: 'lr', label: 'Learning rate', kind: 'number', path: () => ['train', 'lr'], placeholder: '0.0002' },
  { id: 'steps', label: 'Steps', kind: 'int', path: () => ['train', 'steps'], placeholder: '200' },
  { id: 'batch', label: 'Batch size', kind: 'int', path: () => ['train', 'batch_size'], placeholder: '8' },
  { id: 'train', label: 'Training data (JSON Lines)', kind: 'path', path: () => ['data', 'train'] },
  { id: 'eval', label: 'Eval data', kind: 'path', path: () => ['data', 'eval'], placeholder: 'none' },
];

/** Whether the form shows the field for this method. */
export const fieldShown = (field: FormField, method: string): boolean =>
  !field.hideFor?.includes(method) && (field.showFor === undefined || field.showFor.includes(method));

/** The field's label and placeholder for this method. */
export const fieldLabel = (field: FormField, method: string): string => field.byMethod?.[method]?.label ?? field.label;
export const fieldPlaceholder = (field: FormField, method: string): string | undefined => field.byMethod?.[method]?.placeholder ?? field.placeholder;

/** The field's text in the form for the document's current value. */
export function fieldText(field: FormField, value: unknown, method: string): string {
  const v = getPath(value, field.path(method));
  if (field.kind === 'targets') return formatTargets(v);
  return v === undefined || v === null ? '' : String(v);
}

/**
 * What typing `text` sets: undefined removes the key (its default applies), a
 * number for numeric fields, and `invalid` while the text is not yet a value
 * (the document is then left alone, so a half-typed "0." does not overwrite it).
 */
export function fieldValue(field: FormField, text: string): { value: unknown } | 'invalid' {
  const t = text.trim();
  if (field.kind === 'targets') return { value: parseTargets(t) ?? undefined };
  if (t === '') return { value: field.kind === 'path' && field.id === 'eval' ? null : undefined };
  if (field.kind === 'int' || field.kind === 'number') {
    const n = Number(t);
    if (!Number.isFinite(n) || (field.kind === 'int' && !Number.isInteger(n)) || /[.eE]$/.test(t)) return 'invalid';
    return { value: n };
  }
  return { value: t };
}
