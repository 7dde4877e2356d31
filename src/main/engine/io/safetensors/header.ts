// Reading and validating a safetensors header (safetensors/src/tensor.rs) without
// touching tensor data: readHeader reads the 8-byte length and the N header
// bytes, nothing else, so inspecting a 100 GB checkpoint costs a few kilobytes
// of I/O. parseHeader is the same validation on bytes in memory; the fuzz test
// drives it directly.
//
// Every rule of the reference reader is enforced, each failure with its own
// SafetensorsError code, so a file this accepts is one the reference accepts
// and its offsets and sizes can be trusted by the readers (no allocation is
// ever sized from an unchecked number).
import { closeSync } from 'node:fs';
import { DTYPE_BITS, DTYPES, isDtype, type Dtype } from './dtypes';
import { quote, SafetensorsError, type SafetensorsErrorCode } from './errors';
import { openForReading, readExactly } from './fd';
import { isUnsignedIntegerLiteral, scanJson } from './json-scan';
import { notValidJson } from '../../../../shared/json-error';

/** The reference reader's MAX_HEADER_SIZE. */
export const MAX_HEADER_SIZE = 100_000_000;

const METADATA_KEY = '__metadata__';
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export interface TensorInfo {
  name: string;
  dtype: Dtype;
  shape: number[];
  /**
   * The tensor's bytes, [begin, end), as the file's data_offsets: relative to
   * the data buffer, so its position in the file is dataStart + begin.
   */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  /** The file as the caller named it (or the source label given to parseHeader). */
  file: string;
  /** N, the JSON header's length in bytes, padding included. */
  headerLength: number;
  /** 8 + N: where the data buffer starts in the file. */
  dataStart: number;
  fileSize: number;
  /** `__metadata__`, or null when the header has none. */
  metadata: Record<string, string> | null;
  /** Every tensor, in data order (ascending offsets). */
  tensors: Map<string, TensorInfo>;
}

/** Reads and validates the header of `file`; reads only its first 8 + N bytes. */
export function readHeader(file: string): SafetensorsHeader {
  const { fd, size } = openForReading(file);
  try {
    return readHeaderFromFd(fd, size, file);
  } finally {
    closeSync(fd);
  }
}

/** readHeader on an open descriptor of a file of `fileSize` bytes. */
export function readHeaderFromFd(fd: number, fileSize: number, file: string): SafetensorsHeader {
  if (fileSize < 8) throw tooSmall(fileSize, file);
  const prefix = new Uint8Array(8);
  readExactly(fd, prefix, 0, file);
  // Validated before it sizes the buffer below: a forged length never allocates.
  const n = headerLength(prefix, fileSize, file);
  const bytes = new Uint8Array(8 + n);
  bytes.set(prefix);
  readExactly(fd, bytes.subarray(8), 8, file);
  return parseHeader(bytes, fileSize, file);
}

/**
 * Validates a header held in memory. `bytes` starts at the file's first byte
 * and holds at least 8 + N bytes (the whole file is fine); `fileSize` is the
 * whole file's size; `source` names the file in messages.
 */
export function parseHeader(bytes: Uint8Array, fileSize: number, source: string): SafetensorsHeader {
  if (fileSize < 8 || bytes.length < 8) throw tooSmall(Math.min(fileSize, bytes.length), source);
  const n = headerLength(bytes.subarray(0, 8), fileSize, source);
  if (bytes.length < 8 + n) {
    throw fail('INVALID_HEADER_LENGTH', source, null, `the header is ${n} bytes but only ${bytes.length - 8} were given`);
  }
  const headerBytes = bytes.subarray(8, 8 + n);

  // 1. UTF-8, then JSON, then the object shape; the scan catches what JSON.parse hides.
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes);
  } catch {
    throw fail('INVALID_UTF8', source, null, 'the header is not valid UTF-8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const why = n === 0 ? 'the header is empty' : `the header is ${notValidJson(err, text)}`;
    throw fail('INVALID_JSON', source, null, why);
  }
  if (!isRecord(parsed)) {
    throw fail('INVALID_HEADER_SHAPE', source, null, `the header must be a JSON object, got ${describe(parsed)}`);
  }
  if (headerBytes[0] !== 0x7b) {
    throw fail('INVALID_HEADER_SHAPE', source, null, "the header must begin with '{' (it has leading whitespace)");
  }
  const nonIntegers = new Map<string, string>();
  const duplicate = scanJson(text, (path, literal) => {
    if (path.length === 2 && path[0] !== METADATA_KEY && (path[1] === 'shape' || path[1] === 'data_offsets')) {
      const key = `${path[1]}\u0000${path[0]}`;
      if (!isUnsignedIntegerLiteral(literal) && !nonIntegers.has(key)) nonIntegers.set(key, literal);
    }
  });
  if (duplicate) {
    const where = duplicate.path.length === 0 ? 'at the top level' : `inside ${duplicate.path.map(quote).join(' > ')}`;
    const tensor = duplicate.path.length === 0 ? duplicate.key : duplicate.path[0] === METADATA_KEY ? null : duplicate.path[0]!;
    throw fail('DUPLICATE_KEY', source, tensor, `key ${quote(duplicate.key)} appears twice ${where}`);
  }

  // 2. Metadata and each tensor entry on its own.
  const metadata = parseMetadata(parsed, source);
  const infos: TensorInfo[] = [];
  for (const [name, entry] of Object.entries(parsed)) {
    if (name !== METADATA_KEY) infos.push(parseEntry(name, entry, nonIntegers, source));
  }

  // 3. Together: sorted by offsets they must tile the data buffer exactly, from
  //    0 with no gap or overlap, each as long as its dtype and shape say.
  infos.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: TensorInfo | null = null;
  for (const info of infos) {
    checkOffsets(info, previous, covered, source);
    covered = info.end;
    previous = info;
    const bytes = byteLength(info, source);
    if (bytes !== info.end - info.begin) {
      throw fail(
        'BYTE_LENGTH_MISMATCH',
        source,
        info.name,
        `${info.dtype} ${shapeText(info.shape)} needs ${bytes} bytes but data_offsets [${info.begin}, ${info.end}] span ${info.end - info.begin}`,
      );
    }
  }
  const dataStart = 8 + n;
  if (dataStart + covered !== fileSize) {
    throw fail(
      'INCOMPLETE_BUFFER',
      source,
      null,
      `the tensors cover ${covered} bytes of data but the file holds ${fileSize - dataStart} after the header ` +
        `(${fileSize} bytes in all); every byte after the header must belong to exactly one tensor`,
    );
  }

  return {
    file: source,
    headerLength: n,
    dataStart,
    fileSize,
    metadata,
    tensors: new Map(infos.map((info) => [info.name, info])),
  };
}

/** Bytes of a tensor of `dtype` and `shape`; SHAPE_OVERFLOW past 2^53-1 elements or bytes. */
export function byteLength(info: { name: string; dtype: Dtype; shape: readonly number[] }, source: string): number {
  // BigInt with a bound after every factor, like the reference reader's
  // checked_mul, so [2^40, 2^40, 0] is an overflow and not an empty tensor,
  // and no intermediate grows without limit.
  let elements = 1n;
  for (const dim of info.shape) {
    elements *= BigInt(dim);
    if (elements > MAX_SAFE) {
      throw fail('SHAPE_OVERFLOW', source, info.name, `shape ${shapeText(info.shape)} has more than 2^53-1 elements`);
    }
  }
  const bits = elements * BigInt(DTYPE_BITS[info.dtype]);
  if (bits % 8n !== 0n) {
    throw fail(
      'MISALIGNED_SLICE',
      source,
      info.name,
      `${info.dtype} ${shapeText(info.shape)} is ${bits} bits, not a whole number of bytes`,
    );
  }
  if (bits / 8n > MAX_SAFE) {
    throw fail('SHAPE_OVERFLOW', source, info.name, `${info.dtype} ${shapeText(info.shape)} is more than 2^53-1 bytes`);
  }
  return Number(bits / 8n);
}

function headerLength(prefix: Uint8Array, fileSize: number, source: string): number {
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_SIZE)) {
    throw fail('HEADER_TOO_LARGE', source, null, `the header length field says ${n} bytes; the limit is ${MAX_HEADER_SIZE}`);
  }
  if (8n + n > BigInt(fileSize)) {
    throw fail(
      'INVALID_HEADER_LENGTH',
      source,
      null,
      `the header length field says ${n} bytes, but the file has only ${fileSize - 8} after the length field`,
    );
  }
  return Number(n);
}

function parseMetadata(header: Record<string, unknown>, source: string): Record<string, string> | null {
  if (!Object.hasOwn(header, METADATA_KEY)) return null;
  const value = header[METADATA_KEY];
  // The reference reader's Option<HashMap> takes null as "no metadata".
  if (value === null) return null;
  if (!isRecord(value)) {
    throw fail('INVALID_METADATA', source, null, `__metadata__ must be an object of strings, got ${describe(value)}`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw fail('INVALID_METADATA', source, null, `__metadata__ values must be strings; ${quote(key)} is ${describe(v)}`);
    }
  }
  // fromEntries defines own properties, so a "__proto__" key stays a plain key.
  return Object.fromEntries(Object.entries(value as Record<string, string>));
}

function parseEntry(name: string, entry: unknown, nonIntegers: Map<string, string>, source: string): TensorInfo {
  // Keys other than these three are ignored, as the reference reader does.
  if (!isRecord(entry)) {
    throw fail('INVALID_HEADER_SHAPE', source, name, `expected an object with dtype, shape and data_offsets, got ${describe(entry)}`);
  }
  for (const key of ['dtype', 'shape', 'data_offsets']) {
    if (!Object.hasOwn(entry, key)) throw fail('INVALID_HEADER_SHAPE', source, name, `missing "${key}"`);
  }
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== 'string') throw fail('INVALID_HEADER_SHAPE', source, name, `dtype must be a string, got ${describe(dtype)}`);
  if (!isDtype(dtype)) {
    throw fail('UNKNOWN_DTYPE', source, name, `unknown dtype ${quote(dtype)}; known: ${DTYPES.join(', ')}`);
  }
  if (!Array.isArray(shape)) throw fail('INVALID_HEADER_SHAPE', source, name, `shape must be an array, got ${describe(shape)}`);
  for (const dim of shape as unknown[]) {
    if (!isUnsignedSafeInteger(dim)) {
      throw fail('INVALID_SHAPE', source, name, `shape ${describe(shape)}: dimension ${describe(dim)} is not an integer in [0, 2^53-1]`);
    }
  }
  const shapeLiteral = nonIntegers.get(`shape\u0000${name}`);
  if (shapeLiteral !== undefined) {
    throw fail('INVALID_SHAPE', source, name, `shape has the dimension ${shapeLiteral}; dimensions must be written as unsigned integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2) {
    throw fail('INVALID_HEADER_SHAPE', source, name, `data_offsets must be a [begin, end] pair, got ${describe(offsets)}`);
  }
  const [begin, end] = offsets as unknown[];
  if (!isUnsignedSafeInteger(begin) || !isUnsignedSafeInteger(end)) {
    throw fail('INVALID_OFFSETS', source, name, `data_offsets ${describe(offsets)} must be integers in [0, 2^53-1]`);
  }
  const offsetLiteral = nonIntegers.get(`data_offsets\u0000${name}`);
  if (offsetLiteral !== undefined) {
    throw fail('INVALID_OFFSETS', source, name, `data_offsets has the value ${offsetLiteral}; offsets must be written as unsigned integers`);
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

function checkOffsets(info: TensorInfo, previous: TensorInfo | null, covered: number, source: string): void {
  const range = `data_offsets [${info.begin}, ${info.end}]`;
  if (info.end < info.begin) throw fail('INVALID_OFFSETS', source, info.name, `${range} end before they begin`);
  if (info.begin === covered) return;
  if (previous === null) {
    throw fail('INVALID_OFFSETS', source, info.name, `${range}: the first tensor must start at 0 (a gap at the start of the data)`);
  }
  const relation = info.begin > covered ? `leave a gap of ${info.begin - covered} bytes after` : 'overlap';
  throw fail('INVALID_OFFSETS', source, info.name, `${range} ${relation} tensor ${quote(previous.name)}, which ends at ${covered}`);
}

function tooSmall(size: number, source: string): SafetensorsError {
  return fail('HEADER_TOO_SMALL', source, null, `the file is ${size} bytes, too short for the 8-byte header length`);
}

function fail(code: SafetensorsErrorCode, source: string, tensor: string | null, why: string): SafetensorsError {
  const what = tensor === null ? '' : ` tensor ${quote(tensor)}:`;
  return new SafetensorsError(code, `${source}:${what} ${why}`, source, tensor);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUnsignedSafeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function shapeText(shape: readonly number[]): string {
  return shape.length > 16 ? `[${shape.slice(0, 16).join(', ')}, … (${shape.length} dims)]` : `[${shape.join(', ')}]`;
}

/** A short rendering of a parsed JSON value for messages. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  // Never stringify a big forged value just to cut it short.
  if (Array.isArray(value)) {
    if (value.length > 16 || value.some((v) => typeof v === 'object' && v !== null)) return `an array of ${value.length} items`;
  } else if (typeof value === 'object' && value !== null) {
    return 'an object';
  }
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 80)}…` : json;
}
