// Fuzzing the reader: 20,000 seeded mutations of valid files (byte flips,
// forged lengths, truncation, JSON edits with huge, negative and fractional
// numbers, duplicate keys, bad metadata...). Each must either load, with every
// tensor decoding to exactly prod(shape) values, or throw a SafetensorsError;
// any other exception, a huge allocation or a hang fails. Most run in memory
// through parseHeader; every 10th also goes through a real file and
// SafetensorsFile and must end the same way.
// Run: node --import tsx --test src/main/engine/io/safetensors/fuzz.test.ts   (FUZZ_SEED=n, FUZZ_CASES=n to vary)
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeFloat32, decodeTensor } from './decode';
import { DTYPE_BITS, DTYPES, FLOAT_DTYPES } from './dtypes';
import { SafetensorsError } from './errors';
import { SafetensorsFile } from './file';
import { parseHeader, type SafetensorsHeader } from './header';
import { bytesOf, rawFile } from './testdata/files';
import { tempDir } from './testdata/temp';
import { layoutHeader, type TensorSpec } from './write';
import { createRng } from '../../train/rng';

const CASES = Number(process.env.FUZZ_CASES ?? 20_000);
const FILE_EVERY = 10;
const SEED = Number(process.env.FUZZ_SEED ?? 20240611);

/** The engine's seeded mulberry32, as a bare function: small, seedable, good enough to spread mutations. */
function prng(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}

type Rng = () => number;
const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)]!;

// ---- seeds: small valid files covering dtypes, 0-rank, empty tensors, metadata, unpadded headers

function written(specs: TensorSpec[], metadata: Record<string, string> | null, rng: Rng): Uint8Array {
  const layout = layoutHeader(specs, metadata, 'seed');
  const data = Uint8Array.from({ length: layout.dataBytes }, () => int(rng, 256));
  return Buffer.concat([layout.bytes, data]);
}

function seeds(): Uint8Array[] {
  const rng = prng(1);
  const out = [
    written(
      [
        { name: 'model.embed.weight', dtype: 'F32', shape: [4, 3] },
        { name: 'model.norm', dtype: 'F16', shape: [3] },
        { name: 'lm_head', dtype: 'BF16', shape: [2, 3] },
      ],
      { format: 'pt' },
      rng,
    ),
    written(
      [
        { name: 'scalar', dtype: 'F32', shape: [] },
        { name: 'empty', dtype: 'F16', shape: [0, 7] },
        { name: 'ids', dtype: 'I32', shape: [5] },
        { name: 'q', dtype: 'I8', shape: [2, 2] },
        { name: 'mask', dtype: 'U8', shape: [3] },
      ],
      { format: 'pt', note: 'seed with \u00e9 and "quotes"' },
      rng,
    ),
    written([{ name: 'only', dtype: 'BF16', shape: [1, 1, 1, 2] }], null, rng),
    written([], { format: 'pt' }, rng),
  ];
  // Dtypes only other writers produce, unpadded (so data is unaligned), metadata last.
  const extra = [
    ['f64', 'F64', [2], 16],
    ['i64', 'I64', [2], 16],
    ['bool', 'BOOL', [3], 3],
    ['u16', 'U16', [1], 2],
    ['i16', 'I16', [], 2],
    ['u32', 'U32', [1], 4],
    ['f8', 'F8_E4M3', [2], 2],
    ['f4', 'F4', [4], 2],
    ['c64', 'C64', [1], 8],
    ['u64', 'U64', [0], 0],
  ] as const;
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, dtype, shape, size] of extra) {
    header[name] = { dtype, shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  header.__metadata__ = { format: 'pt' };
  // Small I64 values, so the seed itself reads without a range error.
  const data = Buffer.alloc(offset, 1);
  bytesOf(new BigInt64Array([3n, -4n])).copy(data, 16);
  out.push(rawFile(header, data));
  return out;
}

// ---- mutations

/** A literal spliced into JSON text verbatim (2.0, -0, 1e308...). */
class Raw {
  constructor(readonly text: string) {}
}

function serialize(value: unknown): string {
  const raws: string[] = [];
  const json = JSON.stringify(value, (_key, v: unknown) => (v instanceof Raw ? `@@RAW${raws.push(v.text) - 1}@@` : v));
  return json.replace(/"@@RAW(\d+)@@"/g, (_m, i: string) => raws[Number(i)]!);
}

const NUMBERS: unknown[] = [
  0, 1, 2, 3, 7, 8, 16, -1, -8, 0.5, 1.5, 2 ** 31, 2 ** 32, 2 ** 40, 2 ** 53, 2 ** 53 + 2, 2 ** 64, 1e308, -1e308,
  new Raw('2.0'), new Raw('-0'), new Raw('1e3'), new Raw('18446744073709551616'), new Raw('1e999'), new Raw('-1e-999'),
  '3', null, true, [], {},
];
const SHAPES: unknown[] = [
  [], [0], [1], [2], [3], [-1], [1.5], [2 ** 40, 2 ** 40], [2 ** 40, 2 ** 40, 0], [1e308], [2 ** 53], [2 ** 26, 2 ** 26],
  [new Raw('2.0')], [new Raw('-0')], ['3'], [[2]], [null], 5, 'x', null, {}, Array(40).fill(1), [0, 2 ** 53],
];
const BAD_DTYPES: unknown[] = ['F17', '', 'f32', 'float32', 5, null, [], {}];

function editJson(header: Record<string, unknown>, rng: Rng, dataLength: number): void {
  const names = Object.keys(header).filter((k) => k !== '__metadata__');
  const name = names.length > 0 ? pick(rng, names) : 'new';
  const entry = header[name];
  const e = (typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? entry : {}) as Record<string, unknown>;
  const offsets = Array.isArray(e.data_offsets) ? [...(e.data_offsets as unknown[])] : [0, 0];
  switch (int(rng, 16)) {
    case 0:
      offsets[int(rng, 2)] = pick(rng, NUMBERS);
      e.data_offsets = offsets;
      break;
    case 1:
      offsets[int(rng, 2)] = int(rng, dataLength + 4);
      e.data_offsets = offsets;
      break;
    case 2:
      e.data_offsets = offsets.reverse();
      break;
    case 3:
      e.data_offsets = pick(rng, [[], [0], [0, 1, 2], 'x', null, [0, 1]]);
      break;
    case 4:
      e.shape = pick(rng, SHAPES);
      break;
    case 5: {
      const shape = Array.isArray(e.shape) ? [...(e.shape as unknown[])] : [];
      if (shape.length > 0 && rng() < 0.5) shape[int(rng, shape.length)] = pick(rng, NUMBERS);
      else if (rng() < 0.5) shape.push(int(rng, 4));
      else shape.pop();
      e.shape = shape;
      break;
    }
    case 6:
      e.dtype = rng() < 0.7 ? pick(rng, DTYPES) : pick(rng, BAD_DTYPES);
      break;
    case 7:
      delete e[pick(rng, ['dtype', 'shape', 'data_offsets'])];
      break;
    case 8:
      e.extra = pick(rng, NUMBERS);
      break;
    case 9:
      delete header[name];
      return;
    case 10:
      header[`${name}.copy`] = structuredClone(e);
      return;
    case 11:
      header[name] = pick(rng, ['F32', 1, null, [], [e]]);
      return;
    case 12:
      header.__metadata__ = pick(rng, [{ format: 1 }, [], 'pt', null, { format: 'pt', nested: {} }, { a: 'b' }, {}, { x: null }]);
      return;
    case 13:
      delete header.__metadata__;
      return;
    case 14: {
      // Move a tensor to a valid-looking place: same size, different offset.
      const size = typeof offsets[1] === 'number' && typeof offsets[0] === 'number' ? offsets[1] - offsets[0] : 0;
      const begin = int(rng, dataLength + 1);
      e.data_offsets = [begin, begin + size];
      break;
    }
    default:
      header[`t${int(rng, 1000)}`] = { dtype: pick(rng, DTYPES), shape: pick(rng, SHAPES), data_offsets: [int(rng, dataLength), int(rng, dataLength + 8)] };
      return;
  }
  header[name] = e;
}

interface Parts {
  header: Uint8Array;
  data: Uint8Array;
}

function split(bytes: Uint8Array): Parts | null {
  if (bytes.length < 8) return null;
  const n = Number(Buffer.from(bytes.buffer, bytes.byteOffset, 8).readBigUInt64LE());
  if (n > bytes.length - 8) return null;
  return { header: bytes.subarray(8, 8 + n), data: bytes.subarray(8 + n) };
}

function join3(text: string | Uint8Array, data: Uint8Array, length?: bigint): Uint8Array {
  const header = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(length ?? BigInt(header.length));
  return Buffer.concat([prefix, header, data]);
}

const TOKENS = ['{', '}', '[', ']', ',', ':', '"', '-', '0', '1e308', '2.0', '-0', '"F16"', '"__metadata__"', 'null', ' ', '\n', '\u0000', '\\u0000', '\\ud800', '\u00e9', '\ud83d\ude00'];

function mutate(bytes: Uint8Array, rng: Rng): Uint8Array {
  const out = Uint8Array.from(bytes);
  const parts = split(out);
  switch (int(rng, 13)) {
    case 11: {
      // Flip bytes in the data only: the file stays valid, the values change (I64 may leave int32).
      if (!parts || parts.data.length === 0) return out;
      const at = out.length - parts.data.length;
      for (let k = 1 + int(rng, 4); k > 0; k -= 1) out[at + int(rng, parts.data.length)] = int(rng, 256);
      return out;
    }
    case 12: {
      // Reorder the JSON entries: still valid, since readers go by offsets, not key order.
      if (!parts) return out;
      let header: Record<string, unknown>;
      try {
        header = JSON.parse(Buffer.from(parts.header).toString('utf8')) as Record<string, unknown>;
      } catch {
        return out;
      }
      if (typeof header !== 'object' || header === null || Array.isArray(header)) return out;
      const entries = Object.entries(header);
      for (let k = entries.length - 1; k > 0; k -= 1) {
        const j = int(rng, k + 1);
        [entries[k], entries[j]] = [entries[j]!, entries[k]!];
      }
      return join3(serialize(Object.fromEntries(entries)) + ' '.repeat(int(rng, 9)), parts.data);
    }
    case 0: {
      // Flip bytes anywhere.
      for (let k = 1 + int(rng, 3); k > 0 && out.length > 0; k -= 1) out[int(rng, out.length)]! ^= 1 + int(rng, 255);
      return out;
    }
    case 1: {
      // Flip bytes in the header or the length field.
      const end = parts ? 8 + parts.header.length : Math.min(out.length, 8);
      if (end > 0) out[int(rng, end)]! ^= 1 << int(rng, 8);
      return out;
    }
    case 2: {
      // Forge the length field.
      if (out.length < 8) return out;
      const n = parts ? BigInt(parts.header.length) : 0n;
      const forged = pick(rng, [0n, 1n, n - 1n, n + 1n, n + 8n, 2n ** 32n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n, 100_000_000n, 100_000_001n, BigInt(out.length - 8), BigInt(int(rng, 4096))]);
      Buffer.from(out.buffer, out.byteOffset, out.length).writeBigUInt64LE(forged < 0n ? 0n : forged);
      return out;
    }
    case 3:
      return out.subarray(0, int(rng, out.length + 1));
    case 4:
      return Buffer.concat([out, Uint8Array.from({ length: 1 + int(rng, 64) }, () => int(rng, 256))]);
    case 5:
    case 6:
    case 7: {
      // Structural JSON edits, one to three, with the length field kept right (mostly).
      if (!parts) return out;
      let header: Record<string, unknown>;
      try {
        header = JSON.parse(Buffer.from(parts.header).toString('utf8')) as Record<string, unknown>;
      } catch {
        return out;
      }
      if (typeof header !== 'object' || header === null || Array.isArray(header)) return out;
      for (let k = 1 + int(rng, 3); k > 0; k -= 1) editJson(header, rng, parts.data.length);
      let text = serialize(header);
      if (rng() < 0.3) text += ' '.repeat(int(rng, 8));
      return join3(text, parts.data);
    }
    case 8: {
      // Splice a token into the header text.
      if (!parts) return out;
      const text = Buffer.from(parts.header).toString('utf8');
      const at = int(rng, text.length + 1);
      const cut = rng() < 0.5 ? int(rng, 4) : 0;
      return join3(text.slice(0, at) + pick(rng, TOKENS) + text.slice(at + cut), parts.data);
    }
    case 9: {
      // Duplicate a key: repeat the first tensor entry (or the metadata) verbatim.
      if (!parts) return out;
      const text = Buffer.from(parts.header).toString('utf8').trimEnd();
      const m = /"([^"\\]*)":(\{[^{}]*\})/.exec(text);
      if (!m || !text.endsWith('}')) return out;
      return join3(`${text.slice(0, -1)},${m[0]}}`, parts.data);
    }
    default: {
      // Odd padding after the JSON: spaces are allowed, NULs and other bytes are not.
      if (!parts) return out;
      const pad = Buffer.alloc(1 + int(rng, 8), pick(rng, [0x20, 0x00, 0x09, 0x0a, 0x7f]));
      return join3(Buffer.concat([parts.header, pad]), parts.data);
    }
  }
}

// ---- the oracle: what a successful load must satisfy

function elementsOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Decodes every tensor of a loaded header through `read`; returns read-error codes seen. */
function checkLoaded(h: SafetensorsHeader, read: (name: string, float: boolean) => ArrayLike<number>, readErrors: Map<string, number>): void {
  let covered = 0;
  for (const info of h.tensors.values()) {
    assert.equal(info.begin, covered, `${info.name} does not start where the previous tensor ended`);
    covered = info.end;
    const bits = BigInt(elementsOf(info.shape)) * BigInt(DTYPE_BITS[info.dtype]);
    assert.equal(BigInt(info.end - info.begin) * 8n, bits, `${info.name}: byte length disagrees with dtype × shape`);
    for (const float of FLOAT_DTYPES.includes(info.dtype) ? [false, true] : [false]) {
      try {
        assert.equal(read(info.name, float).length, elementsOf(info.shape), `${info.name}: wrong element count`);
      } catch (err) {
        if (!(err instanceof SafetensorsError)) throw err;
        readErrors.set(err.code, (readErrors.get(err.code) ?? 0) + 1);
      }
    }
  }
  assert.equal(h.dataStart + covered, h.fileSize, 'the tensors do not cover the data exactly');
}

function inMemory(bytes: Uint8Array, readErrors: Map<string, number>): string {
  try {
    const h = parseHeader(bytes, bytes.length, 'fuzz');
    checkLoaded(
      h,
      (name, float) => {
        const info = h.tensors.get(name)!;
        const slice = bytes.subarray(h.dataStart + info.begin, h.dataStart + info.end);
        return float ? decodeFloat32(slice, info, 'fuzz') : decodeTensor(slice, info, 'fuzz');
      },
      readErrors,
    );
    return 'loaded';
  } catch (err) {
    if (err instanceof SafetensorsError) return err.code;
    throw err;
  }
}

function throughFile(file: string, readErrors: Map<string, number>): string {
  let f: SafetensorsFile;
  try {
    f = SafetensorsFile.open(file);
  } catch (err) {
    if (err instanceof SafetensorsError) return err.code;
    throw err;
  }
  try {
    checkLoaded(f.header, (name, float) => (float ? f.readFloat32(name) : f.read(name)), readErrors);
    for (const [name, info] of f.tensors) assert.equal(f.readRaw(name).length, info.end - info.begin);
    return 'loaded';
  } finally {
    f.close();
  }
}

test(`fuzz: ${CASES} mutated files load correctly or throw SafetensorsError`, { timeout: 120_000 }, () => {
  const dir = tempDir('loralab-safetensors-fuzz-');
  const rng = prng(SEED);
  const bases = seeds();
  for (const base of bases) assert.equal(inMemory(base, new Map()), 'loaded', 'a seed file must be valid');

  const outcomes = new Map<string, number>();
  const readErrors = new Map<string, number>();
  let filesChecked = 0;
  let slowest = { ms: 0, index: -1 };
  const start = performance.now();

  for (let i = 0; i < CASES; i += 1) {
    let bytes: Uint8Array = pick(rng, bases);
    for (let k = 1 + int(rng, 3); k > 0; k -= 1) bytes = mutate(bytes, rng);
    const caseStart = performance.now();
    let outcome: string;
    try {
      outcome = inMemory(bytes, readErrors);
      if (i % FILE_EVERY === 0) {
        const file = join(dir, `case-${i % 50}.safetensors`);
        writeFileSync(file, bytes);
        const fileOutcome = throughFile(file, new Map());
        assert.equal(fileOutcome, outcome, 'the file reader and the in-memory parser disagree');
        filesChecked += 1;
      }
    } catch (err) {
      const head = Buffer.from(bytes.subarray(0, 400)).toString('latin1');
      throw new Error(`case ${i} (FUZZ_SEED=${SEED}) threw ${String(err)}\nfirst bytes: ${JSON.stringify(head)}`, { cause: err });
    }
    const ms = performance.now() - caseStart;
    if (ms > slowest.ms) slowest = { ms, index: i };
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }

  const seconds = (performance.now() - start) / 1000;
  const table = [...outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
  const reads = [...readErrors].map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  console.log(`fuzz seed ${SEED}: ${CASES} cases (${filesChecked} also through files) in ${seconds.toFixed(2)} s; slowest ${slowest.ms.toFixed(1)} ms (case ${slowest.index})`);
  console.log(`  outcomes: ${table}`);
  console.log(`  read errors after a valid header (tensor reads): ${reads}`);

  assert.ok(slowest.ms < 1000, `case ${slowest.index} took ${slowest.ms.toFixed(0)} ms`);
  // The mix must exercise both sides and many codes, or the mutations have gone stale.
  assert.ok((outcomes.get('loaded') ?? 0) > CASES / 20, `only ${outcomes.get('loaded') ?? 0} cases loaded`);
  assert.ok(outcomes.size >= 12, `only ${outcomes.size} distinct outcomes: ${table}`);
});
