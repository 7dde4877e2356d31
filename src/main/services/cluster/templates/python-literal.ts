// JSON values as Python source literals, so the generated train.py shows its
// settings as plain keyword arguments (r=8, target_modules=["q_proj"], …).
export type PyValue = string | number | boolean | null | readonly PyValue[] | { readonly [k: string]: PyValue } | PyCode;

/** Python source inserted as it is (e.g. `torch.float32`). */
export class PyCode {
  constructor(readonly code: string) {}
}
export const py = (code: string): PyCode => new PyCode(code);

export function pyLiteral(value: PyValue): string {
  if (value instanceof PyCode) return value.code;
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a Python literal`);
    // 2e-4 stays 0.0002, a JSON number Python reads the same; integers stay integers.
    return JSON.stringify(value);
  }
  // A JSON string is a valid Python string literal except for \u2028/\u2029 (fine) and
  // nothing else: JSON escapes are a subset of Python's.
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => pyLiteral(v)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, PyValue>);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pyLiteral(v)}`).join(', ')}}`;
}

/** `name(\n    a=1,\n    b="x",\n)` with one keyword argument a line. */
export function pyCall(name: string, kwargs: Record<string, PyValue>, indent = ''): string {
  const lines = Object.entries(kwargs).map(([k, v]) => `${indent}    ${k}=${pyLiteral(v)},`);
  return `${name}(\n${lines.join('\n')}\n${indent})`;
}
