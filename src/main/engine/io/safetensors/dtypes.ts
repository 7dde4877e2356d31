// The safetensors dtype strings with their sizes in bits (safetensors/src/tensor.rs Dtype).
// Every one of them is accepted in a header, so a file holding, say, F8 tensors
// next to F32 ones still opens; only reading values is limited to what decode.ts
// can convert.

/**
 * In the reference implementation's enum order, which is increasing alignment.
 * The writer sorts by this order (descending), so it must not be rearranged.
 */
export const DTYPES = [
  'BOOL',
  'F4',
  'F6_E2M3',
  'F6_E3M2',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'F8_E8M0',
  'F8_E4M3FNUZ',
  'F8_E5M2FNUZ',
  'I16',
  'U16',
  'F16',
  'BF16',
  'I32',
  'U32',
  'F32',
  'C64',
  'F64',
  'I64',
  'U64',
] as const;

export type Dtype = (typeof DTYPES)[number];

export const DTYPE_BITS: Readonly<Record<Dtype, number>> = {
  BOOL: 8,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  F8_E4M3FNUZ: 8,
  F8_E5M2FNUZ: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  C64: 64,
  F64: 64,
  I64: 64,
  U64: 64,
};

/** The dtypes whose values readFloat32 converts to float32. */
export const FLOAT_DTYPES: readonly Dtype[] = ['F32', 'F16', 'BF16', 'F64'];

const RANK = new Map<string, number>(DTYPES.map((d, i) => [d, i]));

export function isDtype(value: string): value is Dtype {
  return RANK.has(value);
}

/** Position in the reference enum; the writer puts higher ranks first. */
export function dtypeRank(dtype: Dtype): number {
  return RANK.get(dtype)!;
}
