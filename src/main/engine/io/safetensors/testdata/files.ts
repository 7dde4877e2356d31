// Test helper: safetensors files made by hand, byte by byte, so tests can state
// exactly what is on disk (including what no writer would produce) without
// going through the code under test.
import { Buffer } from 'node:buffer';

export interface RawEntry {
  dtype: unknown;
  shape: unknown;
  data_offsets: unknown;
}

/** The 8-byte little-endian length prefix. */
export function lengthPrefix(n: bigint | number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

/**
 * A file from header text (or an object, JSON-stringified), data bytes (or a
 * byte count, filled with a pattern) and optionally a forged length field.
 */
export function rawFile(
  header: string | Record<string, unknown>,
  data: Uint8Array | number = 0,
  options: { length?: bigint | number; pad?: boolean } = {},
): Buffer {
  let text = typeof header === 'string' ? header : JSON.stringify(header);
  if (options.pad) text += ' '.repeat((8 - (Buffer.byteLength(text) % 8)) % 8);
  const json = Buffer.from(text, 'utf8');
  const body = typeof data === 'number' ? Buffer.from(Array.from({ length: data }, (_, i) => (i * 37 + 11) & 0xff)) : Buffer.from(data);
  return Buffer.concat([lengthPrefix(options.length ?? json.length), json, body]);
}

/** Little-endian bytes of a typed array. */
export function bytesOf(array: ArrayBufferView): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}
