// The one error type of the safetensors and checkpoint layer. Each failure has a
// stable `code`, so callers (and the IPC layer, which sends errors as
// { name, message, code }) can tell a corrupt file from a missing one without
// parsing messages; the message names the file and, where there is one, the tensor.

export type SafetensorsErrorCode =
  // The file's layout and header (safetensors/src/tensor.rs validate).
  | 'HEADER_TOO_SMALL'
  | 'HEADER_TOO_LARGE'
  | 'INVALID_HEADER_LENGTH'
  | 'INVALID_UTF8'
  | 'INVALID_JSON'
  | 'INVALID_HEADER_SHAPE'
  | 'DUPLICATE_KEY'
  | 'INVALID_METADATA'
  | 'UNKNOWN_DTYPE'
  | 'INVALID_SHAPE'
  | 'SHAPE_OVERFLOW'
  | 'MISALIGNED_SLICE'
  | 'BYTE_LENGTH_MISMATCH'
  | 'INVALID_OFFSETS'
  | 'INCOMPLETE_BUFFER'
  // Reading tensor data.
  | 'IO_ERROR'
  | 'FILE_CHANGED'
  | 'CLOSED'
  | 'TENSOR_NOT_FOUND'
  | 'TENSOR_TOO_LARGE'
  | 'UNSUPPORTED_DTYPE'
  | 'VALUE_OUT_OF_RANGE'
  | 'BIG_ENDIAN_HOST'
  // Model folders (single file or sharded).
  | 'NO_WEIGHTS'
  | 'PICKLE_REFUSED'
  | 'INVALID_INDEX'
  | 'SHARD_MISSING'
  | 'INDEX_MISMATCH'
  | 'DUPLICATE_TENSOR'
  // Writing.
  | 'INVALID_TENSOR'
  | 'INVALID_WRITE';

export class SafetensorsError extends Error {
  override readonly name = 'SafetensorsError';

  constructor(
    readonly code: SafetensorsErrorCode,
    message: string,
    /** The file (or folder) concerned, as given by the caller. */
    readonly file: string | null = null,
    /** The tensor concerned, when there is one. */
    readonly tensor: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Quotes a tensor name or key for a message; JSON quoting keeps control characters visible. */
export function quote(name: string): string {
  const json = JSON.stringify(name);
  // A forged header can hold a name of megabytes; the message needs only its start.
  return json.length > 200 ? `${json.slice(0, 200)}…" (${name.length} characters)` : json;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
