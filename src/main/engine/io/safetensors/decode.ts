// Turns a tensor's raw little-endian bytes into a typed array. Floats become
// float32, the engine's compute type: F16 and F64 rounded exactly, BF16 widened
// bit for bit. Integers keep their width, except I64, which tfjs cannot hold:
// it becomes Int32 when every value fits, and is an error otherwise (token ids
// and positions fit; anything else silently wrapping would be worse).
import { DTYPE_BITS, FLOAT_DTYPES, type Dtype } from './dtypes';
import { quote, SafetensorsError } from './errors';
import { decodeBF16, decodeF16 } from './float16';
import type { TensorInfo } from './header';

export type TensorArray = Float32Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** The dtypes read() can return, and as what. */
export const READABLE_DTYPES: Readonly<Partial<Record<Dtype, string>>> = {
  F32: 'Float32Array',
  F16: 'Float32Array',
  BF16: 'Float32Array',
  F64: 'Float32Array',
  I8: 'Int8Array',
  U8: 'Uint8Array',
  BOOL: 'Uint8Array',
  I16: 'Int16Array',
  U16: 'Uint16Array',
  I32: 'Int32Array',
  U32: 'Uint32Array',
  I64: 'Int32Array',
};

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type Info = Pick<TensorInfo, 'name' | 'dtype' | 'begin' | 'end'>;

/**
 * Decodes `bytes` (exactly the tensor's end - begin bytes, at any byteOffset)
 * by dtype. The result may share memory with `bytes` when no conversion is needed.
 */
export function decodeTensor(bytes: Uint8Array, info: Info, source: string): TensorArray {
  checkInput(bytes, info, source);
  switch (info.dtype) {
    case 'F32':
    case 'F16':
    case 'BF16':
    case 'F64':
      return decodeFloat32(bytes, info, source);
    case 'U8':
    case 'BOOL':
      // A plain Uint8Array even when given a Buffer, so callers see one type per dtype.
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    case 'I8':
      return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    case 'I16':
      return view(bytes, Int16Array);
    case 'U16':
      return view(bytes, Uint16Array);
    case 'I32':
      return view(bytes, Int32Array);
    case 'U32':
      return view(bytes, Uint32Array);
    case 'I64':
      return int64ToInt32(view(bytes, Int32Array), info, source);
    default:
      throw unsupported(info, source, `read() supports ${Object.keys(READABLE_DTYPES).join(', ')}`);
  }
}

/** Decodes a float tensor (F32, F16, BF16, F64) to float32. */
export function decodeFloat32(bytes: Uint8Array, info: Info, source: string): Float32Array {
  checkInput(bytes, info, source);
  switch (info.dtype) {
    case 'F32':
      return view(bytes, Float32Array);
    case 'F16':
      return decodeF16(view(bytes, Uint16Array));
    case 'BF16':
      return decodeBF16(view(bytes, Uint16Array));
    case 'F64':
      // Float32Array's constructor rounds each double to nearest, ties to even.
      return new Float32Array(view(bytes, Float64Array));
    default:
      throw unsupported(info, source, `readFloat32 converts only ${FLOAT_DTYPES.join(', ')}; use read() for the raw values`);
  }
}

/**
 * Checks, before any byte is read, that `info` can be decoded (as float32 when
 * `float32`), and returns the byte size of the typed array that decoding makes.
 */
export function decodedByteLength(info: Info, float32: boolean, source: string): number {
  const bytes = info.end - info.begin;
  if (float32 || FLOAT_DTYPES.includes(info.dtype)) {
    if (!FLOAT_DTYPES.includes(info.dtype)) {
      throw unsupported(info, source, `readFloat32 converts only ${FLOAT_DTYPES.join(', ')}; use read() for the raw values`);
    }
    return (bytes / (DTYPE_BITS[info.dtype] / 8)) * 4;
  }
  if (!(info.dtype in READABLE_DTYPES)) {
    throw unsupported(info, source, `read() supports ${Object.keys(READABLE_DTYPES).join(', ')}`);
  }
  return info.dtype === 'I64' ? bytes / 2 : bytes;
}

function checkInput(bytes: Uint8Array, info: Info, source: string): void {
  if (bytes.length !== info.end - info.begin) {
    throw new SafetensorsError(
      'BYTE_LENGTH_MISMATCH',
      `${source}: tensor ${quote(info.name)}: got ${bytes.length} bytes to decode, expected ${info.end - info.begin}`,
      source,
      info.name,
    );
  }
  if (!LITTLE_ENDIAN && DTYPE_BITS[info.dtype] > 8) {
    throw new SafetensorsError(
      'BIG_ENDIAN_HOST',
      `${source}: tensor ${quote(info.name)}: safetensors data is little-endian and this host is big-endian`,
      source,
      info.name,
    );
  }
}

interface TypedArrayConstructor<T> {
  readonly BYTES_PER_ELEMENT: number;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
}

/** A typed view of `bytes`, copying first when the offset is not a multiple of the element size. */
function view<T>(bytes: Uint8Array, Type: TypedArrayConstructor<T>): T {
  const size = Type.BYTES_PER_ELEMENT;
  // Files from other writers may place a tensor at any offset, and typed
  // arrays require alignment; new Uint8Array(bytes) copies (Buffer#slice would not).
  const source = bytes.byteOffset % size === 0 ? bytes : new Uint8Array(bytes);
  return new Type(source.buffer, source.byteOffset, source.length / size);
}

function int64ToInt32(words: Int32Array, info: Info, source: string): Int32Array {
  const out = new Int32Array(words.length / 2);
  for (let i = 0; i < out.length; i += 1) {
    const lo = words[2 * i]!;
    const hi = words[2 * i + 1]!;
    // It fits in int32 exactly when the high word is the sign extension of the low one.
    if (hi !== lo >> 31) {
      const value = (BigInt(hi) << 32n) | BigInt(lo >>> 0);
      throw new SafetensorsError(
        'VALUE_OUT_OF_RANGE',
        `${source}: tensor ${quote(info.name)}: I64 element ${i} is ${value}, outside the int32 range it is read into`,
        source,
        info.name,
      );
    }
    out[i] = lo;
  }
  return out;
}

function unsupported(info: Info, source: string, what: string): SafetensorsError {
  return new SafetensorsError(
    'UNSUPPORTED_DTYPE',
    `${source}: tensor ${quote(info.name)} is ${info.dtype}; ${what}`,
    source,
    info.name,
  );
}
