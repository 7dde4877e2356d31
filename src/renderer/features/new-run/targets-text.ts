// Target modules as one text field: "q_proj, v_proj" is PEFT's list rule (exact name
// or dotted suffix), "/…/" a regular expression (PEFT's string rule: full match),
// "all-linear" every Linear/Conv1D but the output head, and empty PEFT's defaults
// for the architecture. A bare single name is a one-item list, not a regex.
export type TargetsValue = string[] | string | null;

export function parseTargets(text: string): TargetsValue {
  const t = text.trim();
  if (t === '') return null;
  if (t === 'all-linear') return 'all-linear';
  const regex = /^\/(.+)\/$/.exec(t);
  if (regex) return regex[1]!;
  const names = t.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return names.length > 0 ? names : null;
}

export function formatTargets(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  if (value === 'all-linear') return value;
  if (typeof value === 'string') return `/${value}/`;
  return '';
}
