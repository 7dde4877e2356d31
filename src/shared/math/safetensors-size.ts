// The exact size of a safetensors file as the reference writer lays it out
// (safetensors README "Format"; safetensors/src/tensor.rs serialize): tensors sorted by dtype (largest alignment first) then by
// name, compact JSON with `__metadata__` first, the header padded with spaces to a
// multiple of 8, an 8-byte length prefix, then the data. Pure arithmetic: nothing
// is written, so an adapter's file size is known before training.

export type StDtype = 'F32' | 'F16' | 'BF16';

export const DTYPE_BYTES: Record<StDtype, number> = { F32: 4, F16: 2, BF16: 2 };

// Position in safetensors' Dtype enum (tensor.rs); only the order matters.
const DTYPE_RANK: Record<StDtype, number> = { F16: 13, BF16: 14, F32: 17 };

export interface StEntry {
  name: string;
  shape: readonly number[];
  dtype: StDtype;
}

export interface StSize {
  /** The JSON header after padding (what the 8-byte prefix holds). */
  headerBytes: number;
  dataBytes: number;
  /** 8 + headerBytes + dataBytes. */
  fileBytes: number;
}

const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The header JSON exactly as the writer emits it, before padding. */
export function safetensorsHeaderJson(entries: readonly StEntry[], metadata: Record<string, string> | null = { format: 'pt' }): string {
  const sorted = [...entries].sort(
    (a, b) => DTYPE_RANK[b.dtype] - DTYPE_RANK[a.dtype] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const parts: string[] = [];
  if (metadata) parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
  let offset = 0;
  for (const e of sorted) {
    const end = offset + numel(e.shape) * DTYPE_BYTES[e.dtype];
    parts.push(`${JSON.stringify(e.name)}:{"dtype":"${e.dtype}","shape":[${e.shape.join(',')}],"data_offsets":[${offset},${end}]}`);
    offset = end;
  }
  return `{${parts.join(',')}}`;
}

export function safetensorsSize(entries: readonly StEntry[], metadata: Record<string, string> | null = { format: 'pt' }): StSize {
  const json = utf8Length(safetensorsHeaderJson(entries, metadata));
  const headerBytes = Math.ceil(json / 8) * 8;
  const dataBytes = entries.reduce((sum, e) => sum + numel(e.shape) * DTYPE_BYTES[e.dtype], 0);
  return { headerBytes, dataBytes, fileBytes: 8 + headerBytes + dataBytes };
}

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4; // a surrogate pair is one 4-byte code point
      i++;
    } else n += 3;
  }
  return n;
}
