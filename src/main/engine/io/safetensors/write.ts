// Writing safetensors files exactly as the reference writer lays them out
// (safetensors/src/tensor.rs serialize), so a file written here is byte-identical to what
// safetensors' Python/Rust `save` makes of the same tensors:
//   1. tensors sorted by dtype, largest alignment first, then by name (UTF-8 bytes);
//   2. offsets assigned contiguously from 0 in that order;
//   3. compact JSON, `__metadata__` first, each entry's keys dtype, shape, data_offsets;
//   4. the JSON padded with spaces to a multiple of 8, so every tensor starts aligned.
// SafetensorsWriter writes the header first and then one tensor at a time, so
// exporting a merged model never holds more than one tensor in memory; the file
// appears at its name only when complete (atomic.ts).
import { Buffer } from 'node:buffer';
import { closeSync } from 'node:fs';
import { createTemp, commit, removeTemp, writeAt } from './atomic';
import { dtypeRank, type Dtype } from './dtypes';
import { quote, SafetensorsError } from './errors';
import { encodeBF16, encodeF16 } from './float16';
import { byteLength, type TensorInfo } from './header';

export type WritableDtype = 'F32' | 'F16' | 'BF16' | 'I8' | 'U8' | 'I32';
export type WritableData = Float32Array | Int8Array | Uint8Array | Int32Array;

export interface TensorSpec {
  name: string;
  dtype: WritableDtype;
  shape: readonly number[];
}

export interface TensorToWrite extends TensorSpec {
  /** Float32Array for F32, F16 and BF16 (converted, round to nearest even); Int8Array, Uint8Array, Int32Array for I8, U8, I32. */
  data: WritableData;
}

export type Metadata = Readonly<Record<string, string>>;

/** What transformers and PEFT write, and what transformers' loader checks for (transformers modeling_utils.py). */
export const DEFAULT_METADATA: Metadata = Object.freeze({ format: 'pt' });

const DATA_TYPE: Record<WritableDtype, { ctor: new (n: number) => WritableData; typeName: string }> = {
  F32: { ctor: Float32Array, typeName: 'Float32Array' },
  F16: { ctor: Float32Array, typeName: 'Float32Array' },
  BF16: { ctor: Float32Array, typeName: 'Float32Array' },
  I8: { ctor: Int8Array, typeName: 'Int8Array' },
  U8: { ctor: Uint8Array, typeName: 'Uint8Array' },
  I32: { ctor: Int32Array, typeName: 'Int32Array' },
};

/** Elements per conversion chunk for F16/BF16: bounds the extra memory at 2 MiB. */
const CHUNK = 1 << 20;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export interface HeaderLayout {
  /** The 8-byte length followed by the padded JSON: the file's first dataStart bytes. */
  bytes: Uint8Array;
  dataStart: number;
  /** The tensors in file order, with their offsets in the data buffer. */
  tensors: TensorInfo[];
  /** Size of the data buffer; the file is dataStart + dataBytes bytes. */
  dataBytes: number;
}

/** Validates `specs` and lays out the header the reference writer would produce for them. */
export function layoutHeader(specs: readonly TensorSpec[], metadata: Metadata | null, file: string): HeaderLayout {
  checkMetadata(metadata, file);
  const names = new Set<string>();
  const entries = specs.map((spec) => {
    checkSpec(spec, names, file);
    names.add(spec.name);
    return { spec, key: Buffer.from(spec.name, 'utf8'), bytes: byteLength(spec, file) };
  });
  // 1. By dtype, largest alignment first, then by name as bytes (Rust's String order).
  entries.sort((a, b) => dtypeRank(b.spec.dtype) - dtypeRank(a.spec.dtype) || Buffer.compare(a.key, b.key));

  // 2-3. Offsets in that order, and the compact JSON.
  const parts: string[] = [];
  if (metadata !== null) parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
  const tensors: TensorInfo[] = [];
  let offset = 0;
  for (const { spec, bytes } of entries) {
    const info: TensorInfo = { name: spec.name, dtype: spec.dtype, shape: [...spec.shape], begin: offset, end: offset + bytes };
    tensors.push(info);
    offset += bytes;
    parts.push(`${JSON.stringify(info.name)}:{"dtype":"${info.dtype}","shape":[${info.shape.join(',')}],"data_offsets":[${info.begin},${info.end}]}`);
  }
  const json = Buffer.from(`{${parts.join(',')}}`, 'utf8');

  // 4. Spaces up to a multiple of 8.
  const n = json.length + ((8 - (json.length % 8)) % 8);
  const bytes = Buffer.alloc(8 + n, 0x20);
  bytes.writeBigUInt64LE(BigInt(n), 0);
  json.copy(bytes, 8);
  return { bytes, dataStart: 8 + n, tensors, dataBytes: offset };
}

/**
 * Writes a complete safetensors file (atomically) in the reference writer's layout.
 * `metadata` null writes no `__metadata__` at all.
 */
export function writeSafetensors(file: string, tensors: readonly TensorToWrite[], metadata: Metadata | null = DEFAULT_METADATA): void {
  const writer = new SafetensorsWriter(file, tensors, metadata);
  try {
    for (const tensor of tensors) writer.write(tensor.name, tensor.data);
    writer.finish();
  } catch (err) {
    writer.abort();
    throw err;
  }
}

/**
 * A safetensors file written one tensor at a time. All names, dtypes and shapes
 * are given up front (the header comes first in the file); then each tensor's
 * data is passed to write(), once. File order (`tensors`) is the cheapest order
 * to write in, but any order works: each tensor goes to its own offset.
 *   const w = new SafetensorsWriter(file, specs);
 *   try { for (const s of w.tensors) w.write(s.name, compute(s)); w.finish(); } catch (e) { w.abort(); throw e; }
 */
export class SafetensorsWriter {
  /** The tensors in file order, with their offsets. */
  readonly tensors: readonly TensorInfo[];
  private readonly layout: HeaderLayout;
  private readonly byName: Map<string, TensorInfo>;
  private readonly pending: Set<string>;
  private fd: number | null;
  private readonly temp: string;
  private state: 'open' | 'finished' | 'aborted' = 'open';
  private scratch: Uint16Array | null = null;

  constructor(
    readonly file: string,
    specs: readonly TensorSpec[],
    metadata: Metadata | null = DEFAULT_METADATA,
  ) {
    if (!LITTLE_ENDIAN) {
      throw new SafetensorsError('BIG_ENDIAN_HOST', `${file}: safetensors data is little-endian and this host is big-endian`, file);
    }
    this.layout = layoutHeader(specs, metadata, file);
    this.tensors = this.layout.tensors;
    this.byName = new Map(this.tensors.map((t) => [t.name, t]));
    this.pending = new Set(this.byName.keys());
    const { fd, temp } = createTemp(file);
    this.fd = fd;
    this.temp = temp;
    this.guard(() => writeAt(fd, this.layout.bytes, 0, file));
  }

  /** Writes one declared tensor's data; an I/O failure aborts the whole file. */
  write(name: string, data: WritableData): void {
    const fd = this.openFd();
    const info = this.byName.get(name);
    if (!info) throw this.misuse(`tensor ${quote(name)} was not declared when the writer was created`, name);
    if (!this.pending.has(name)) throw this.misuse(`tensor ${quote(name)} was already written`, name);
    const elements = (info.end - info.begin) / bytesPerElement(info.dtype);
    const expected = DATA_TYPE[info.dtype as WritableDtype];
    if (!(data instanceof expected.ctor) || data.length !== elements) {
      const got = `${data?.constructor?.name ?? typeof data} of length ${data?.length}`;
      throw new SafetensorsError(
        'INVALID_TENSOR',
        `${this.file}: tensor ${quote(name)} is ${info.dtype} [${info.shape.join(', ')}], so its data must be a ` +
          `${expected.typeName} of length ${elements}; got a ${got}`,
        this.file,
        name,
      );
    }
    const position = this.layout.dataStart + info.begin;
    this.guard(() => {
      if (info.dtype === 'F16' || info.dtype === 'BF16') this.writeConverted(fd, data as Float32Array, info.dtype, position);
      else writeAt(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), position, this.file);
    });
    this.pending.delete(name);
  }

  /** Flushes and moves the file into place; every declared tensor must have been written. */
  finish(): void {
    const fd = this.openFd();
    if (this.pending.size > 0) {
      const missing = [...this.pending];
      throw this.misuse(`${missing.length} tensors were never written, such as ${quote(missing[0]!)}`, missing[0]!);
    }
    this.fd = null;
    this.state = 'finished';
    try {
      commit(fd, this.temp, this.file);
    } catch (err) {
      removeTemp(this.temp);
      throw err;
    }
  }

  /** Discards the file: closes it and removes the temp file. A no-op after finish() or abort(). */
  abort(): void {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    removeTemp(this.temp);
  }

  private writeConverted(fd: number, data: Float32Array, dtype: 'F16' | 'BF16', position: number): void {
    const scratch = (this.scratch ??= new Uint16Array(CHUNK));
    const encode = dtype === 'F16' ? encodeF16 : encodeBF16;
    for (let start = 0; start < data.length; start += CHUNK) {
      const part = data.subarray(start, Math.min(start + CHUNK, data.length));
      const out = encode(part, scratch.subarray(0, part.length));
      writeAt(fd, new Uint8Array(out.buffer, out.byteOffset, out.byteLength), position + start * 2, this.file);
    }
  }

  private openFd(): number {
    if (this.fd === null) throw this.misuse(`the writer is already ${this.state}`, null);
    return this.fd;
  }

  /** Runs an I/O step; if it fails, the partial file must not survive. */
  private guard(step: () => void): void {
    try {
      step();
    } catch (err) {
      this.abort();
      throw err;
    }
  }

  private misuse(why: string, tensor: string | null): SafetensorsError {
    return new SafetensorsError('INVALID_WRITE', `${this.file}: ${why}`, this.file, tensor);
  }
}

function bytesPerElement(dtype: Dtype): number {
  return dtype === 'F32' || dtype === 'I32' ? 4 : dtype === 'F16' || dtype === 'BF16' ? 2 : 1;
}

function checkSpec(spec: TensorSpec, seen: Set<string>, file: string): void {
  const bad = (why: string): SafetensorsError =>
    new SafetensorsError('INVALID_TENSOR', `${file}: tensor ${quote(String(spec.name))}: ${why}`, file, String(spec.name));
  if (typeof spec.name !== 'string') throw bad('the name must be a string');
  if (spec.name === '__metadata__') throw bad('"__metadata__" is reserved for the metadata');
  // A lone surrogate has no UTF-8 form: the header would not round-trip.
  if (/\p{Cs}/u.test(spec.name)) throw bad('the name is not well-formed Unicode (it has a lone surrogate)');
  if (seen.has(spec.name)) throw bad('the name appears twice');
  if (!Object.hasOwn(DATA_TYPE, spec.dtype)) {
    throw bad(`dtype ${quote(String(spec.dtype))} cannot be written; use one of ${Object.keys(DATA_TYPE).join(', ')}`);
  }
  if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw bad(`shape must be an array of integers >= 0, got ${JSON.stringify(spec.shape)}`);
  }
}

function checkMetadata(metadata: Metadata | null, file: string): void {
  if (metadata === null) return;
  const bad = (why: string): SafetensorsError => new SafetensorsError('INVALID_METADATA', `${file}: __metadata__ ${why}`, file);
  if (typeof metadata !== 'object' || Array.isArray(metadata)) throw bad('must be an object of strings, or null for none');
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw bad(`values must be strings; ${quote(key)} is ${typeof value}`);
    if (/\p{Cs}/u.test(key) || /\p{Cs}/u.test(value)) throw bad(`entry ${quote(key)} is not well-formed Unicode`);
  }
}
