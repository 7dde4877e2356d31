// Model folders: a sharded F16/BF16 checkpoint written with this writer and read
// back bit for bit against an independent conversion; the index checks; pickle
// refusal; lazy opening of shards.
// Run: node --import tsx --test src/main/engine/io/safetensors/checkpoint.test.ts
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openCheckpoint } from './checkpoint';
import { SafetensorsError, type SafetensorsErrorCode } from './errors';
import { planShards, writeIndex } from './shards';
import { bitsOf, refBF16, refBF16Value, refF16, refF16Value } from './testdata/reference-float16';
import { tempDir } from './testdata/temp';
import { writeSafetensors, type TensorToWrite } from './write';

const root = tempDir();
let counter = 0;
function freshDir(): string {
  counter += 1;
  const dir = join(root, `model-${counter}`);
  mkdirSync(dir);
  return dir;
}

function throwsCode(fn: () => unknown, code: SafetensorsErrorCode, ...inMessage: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof SafetensorsError, String(err));
    assert.equal(err.code, code, err.message);
    for (const part of inMessage) assert.ok(err.message.includes(part), `"${part}" not in: ${err.message}`);
    return true;
  });
}

/** Exactly representable in both F16 and BF16 (8 significant bits, within F16's range). */
const EXACT = [0, -0, 1, -1, 0.5, 0.75, -3.5, 1024, 2 ** -14, -(2 ** -10), 240, Infinity, -Infinity];
/** Not representable: each rounds, some on ties, some into subnormals or infinity. */
const INEXACT = [0.1, -0.2, 1 / 3, Math.PI, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 65519, 65520, 1e5, 2 ** -25, 3 * 2 ** -26, 1e-7, 1 + 2 ** -8, 3.0e38];

interface Planned {
  tensor: TensorToWrite;
  /** The float32 bits each element must read back as. */
  expected: Uint32Array;
}

function tensorsForCheckpoint(): Planned[] {
  const out: Planned[] = [];
  const values = Float32Array.from([...EXACT, ...INEXACT]);
  for (const [i, dtype] of (['F16', 'BF16', 'F16', 'BF16', 'F16'] as const).entries()) {
    // Vary the values per tensor so a mixed-up shard or offset cannot pass.
    const data = values.map((v, j) => (j % 5 === i ? v * 2 : v));
    const expected = Uint32Array.from(data, (v) =>
      dtype === 'F16' ? bitsOf(refF16Value(refF16(v))) : bitsOf(refBF16Value(refBF16(v))),
    );
    out.push({ tensor: { name: `model.layers.${i}.weight`, dtype, shape: [3, 9], data }, expected });
  }
  const ids = new Int32Array([1, 2, 3]);
  out.push({ tensor: { name: 'ids', dtype: 'I32', shape: [3], data: ids }, expected: new Uint32Array(ids.buffer) });
  return out;
}

/** Writes `tensors` as a sharded folder with planShards + writeIndex; returns the plan. */
function writeSharded(dir: string, tensors: TensorToWrite[], maxShardBytes: number): ReturnType<typeof planShards> {
  const bytes = (t: TensorToWrite): number => t.data.length * (t.dtype === 'F16' || t.dtype === 'BF16' ? 2 : t.data.BYTES_PER_ELEMENT);
  const plan = planShards(tensors.map((t) => ({ name: t.name, bytes: bytes(t) })), maxShardBytes);
  const byName = new Map(tensors.map((t) => [t.name, t]));
  for (const shard of plan.shards) writeSafetensors(join(dir, shard.file), shard.names.map((n) => byName.get(n)!));
  if (plan.weightMap) writeIndex(dir, plan.weightMap, plan.totalSize);
  return plan;
}

test('a sharded F16/BF16 checkpoint reads back bit for bit, exact and rounded values alike', () => {
  const dir = freshDir();
  const planned = tensorsForCheckpoint();
  const plan = writeSharded(dir, planned.map((p) => p.tensor), 120);
  assert.ok(plan.shards.length >= 3, `expected several shards, got ${plan.shards.length}`);
  assert.deepEqual(readdirSync(dir).sort(), [...plan.shards.map((s) => s.file), 'model.safetensors.index.json'].sort());

  const ckpt = openCheckpoint(dir);
  try {
    assert.equal(ckpt.files.length, plan.shards.length);
    assert.equal(ckpt.totalSize, plan.totalSize);
    assert.equal(ckpt.tensors.size, planned.length);
    for (const { tensor, expected } of planned) {
      const info = ckpt.tensors.get(tensor.name)!;
      assert.equal(info.file, join(dir, plan.weightMap![tensor.name]!));
      assert.deepEqual(ckpt.shape(tensor.name), [...tensor.shape]);
      const got = tensor.dtype === 'I32' ? ckpt.read(tensor.name) : ckpt.readFloat32(tensor.name);
      assert.deepEqual(new Uint32Array(got.buffer, got.byteOffset, got.length), expected, tensor.name);
    }
    // Exactly representable inputs come back unchanged.
    const first = planned[0]!;
    const exactBits = new Uint32Array(first.tensor.data.buffer, 0, EXACT.length);
    assert.deepEqual(first.expected.subarray(0, EXACT.length).filter((_, j) => j % 5 !== 0), exactBits.filter((_, j) => j % 5 !== 0));
  } finally {
    ckpt.close();
  }
});

test('shard files are opened on first read and closed by close()', () => {
  const dir = freshDir();
  writeSharded(dir, tensorsForCheckpoint().map((p) => p.tensor), 120);
  const fds = (): number => readdirSync('/proc/self/fd').length;
  const before = fds();
  const ckpt = openCheckpoint(dir);
  assert.equal(fds(), before, 'openCheckpoint must not keep files open');
  ckpt.readFloat32('model.layers.0.weight');
  ckpt.readFloat32('model.layers.0.weight');
  assert.equal(fds(), before + 1);
  ckpt.close();
  assert.equal(fds(), before);
  throwsCode(() => ckpt.readFloat32('model.layers.0.weight'), 'CLOSED');
  throwsCode(() => openCheckpoint(dir).read('nope'), 'TENSOR_NOT_FOUND', 'nope');
});

test('a single model.safetensors, preferred over an index when both exist', () => {
  const dir = freshDir();
  writeSafetensors(join(dir, 'model.safetensors'), [{ name: 'w', dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) }]);
  writeFileSync(join(dir, 'model.safetensors.index.json'), '{"weight_map":{"other":"missing.safetensors"}}');
  const ckpt = openCheckpoint(dir);
  assert.deepEqual([...ckpt.tensors.keys()], ['w']);
  assert.equal(ckpt.totalSize, null);
  assert.deepEqual(ckpt.readFloat32('w'), new Float32Array([1, 2]));
  ckpt.close();
});

/** A valid two-shard folder to break in the tests below. */
function twoShards(): string {
  const dir = freshDir();
  const t = (name: string): TensorToWrite => ({ name, dtype: 'F32', shape: [1], data: new Float32Array([1]) });
  writeSafetensors(join(dir, 'model-00001-of-00002.safetensors'), [t('a'), t('b')]);
  writeSafetensors(join(dir, 'model-00002-of-00002.safetensors'), [t('c')]);
  writeIndex(dir, { a: 'model-00001-of-00002.safetensors', b: 'model-00001-of-00002.safetensors', c: 'model-00002-of-00002.safetensors' }, 12);
  openCheckpoint(dir).close();
  return dir;
}

function setIndex(dir: string, index: unknown): void {
  writeFileSync(join(dir, 'model.safetensors.index.json'), typeof index === 'string' ? index : JSON.stringify(index));
}

test('index: unknown metadata keys and a missing metadata block are fine', () => {
  const dir = twoShards();
  const map = { a: 'model-00001-of-00002.safetensors', b: 'model-00001-of-00002.safetensors', c: 'model-00002-of-00002.safetensors' };
  setIndex(dir, { metadata: { total_size: 12, total_parameters: 3, format: 'pt' }, weight_map: map });
  assert.equal(openCheckpoint(dir).totalSize, 12);
  setIndex(dir, { weight_map: map });
  assert.equal(openCheckpoint(dir).totalSize, null);
});

test('index errors: missing shard, mismatches both ways, tensor in two shards, bad index', () => {
  const s1 = 'model-00001-of-00002.safetensors';
  const s2 = 'model-00002-of-00002.safetensors';
  let dir = twoShards();
  rmSync(join(dir, s2));
  throwsCode(() => openCheckpoint(dir), 'SHARD_MISSING', s2, '"c"');

  dir = twoShards();
  setIndex(dir, { weight_map: { a: s1, b: s1, c: s2, d: s2 } });
  throwsCode(() => openCheckpoint(dir), 'INDEX_MISMATCH', '"d"', s2);

  dir = twoShards();
  setIndex(dir, { weight_map: { a: s1, c: s2 } });
  throwsCode(() => openCheckpoint(dir), 'INDEX_MISMATCH', '"b"', 'does not list it');

  dir = twoShards();
  setIndex(dir, { weight_map: { a: s1, b: s2, c: s2 } });
  throwsCode(() => openCheckpoint(dir), 'INDEX_MISMATCH', '"b"', `lists it in ${s2}`);

  dir = twoShards();
  copyFileSync(join(dir, s1), join(dir, 'extra.safetensors'));
  setIndex(dir, { weight_map: { a: s1, b: s1, c: s2, x: 'extra.safetensors' } });
  throwsCode(() => openCheckpoint(dir), 'DUPLICATE_TENSOR', '"a"', 'extra.safetensors', s1);

  dir = twoShards();
  for (const shard of ['../model-00001-of-00002.safetensors', '/etc/passwd', '..', '']) {
    setIndex(dir, { weight_map: { a: shard } });
    throwsCode(() => openCheckpoint(dir), 'INVALID_INDEX');
  }
  for (const bad of ['{', '[]', '{"weight_map":[]}', '{"weight_map":{"a":1}}', '{"weight_map":{}}']) {
    setIndex(dir, bad);
    throwsCode(() => openCheckpoint(dir), 'INVALID_INDEX', 'model.safetensors.index.json');
  }
  setIndex(dir, `{"weight_map":{"a":"${s1}","a":"${s2}"}}`);
  throwsCode(() => openCheckpoint(dir), 'DUPLICATE_KEY', '"a"');

  dir = twoShards();
  writeFileSync(join(dir, s2), Buffer.from('not a safetensors file'));
  throwsCode(() => openCheckpoint(dir), 'HEADER_TOO_LARGE', s2); // its first 8 bytes, as a length, are ~7e18
});

test('pickled weights are refused with the conversion, whatever their name', () => {
  for (const names of [['pytorch_model.bin'], ['pytorch_model.bin.index.json', 'pytorch_model-00001-of-00002.bin'], ['model.ckpt'], ['weights.pt'], ['consolidated.00.pth']]) {
    const dir = freshDir();
    for (const name of [...names, 'config.json']) writeFileSync(join(dir, name), 'x');
    throwsCode(
      () => openCheckpoint(dir),
      'PICKLE_REFUSED',
      dir,
      names[0]!,
      'executes arbitrary code',
      `AutoModelForCausalLM.from_pretrained(${JSON.stringify(dir)}).save_pretrained(`,
      'safe_serialization=True',
    );
  }
});

test('no weights at all: the message names the folder and what was looked for', () => {
  const empty = freshDir();
  throwsCode(() => openCheckpoint(empty), 'NO_WEIGHTS', empty, 'model.safetensors', 'model.safetensors.index.json');

  // Trainer state pickles are not model weights.
  const trainer = freshDir();
  for (const name of ['training_args.bin', 'optimizer.pt', 'scheduler.pt', 'rng_state.pth']) writeFileSync(join(trainer, name), 'x');
  throwsCode(() => openCheckpoint(trainer), 'NO_WEIGHTS', trainer);

  const adapter = freshDir();
  writeFileSync(join(adapter, 'adapter_model.safetensors'), 'x');
  throwsCode(() => openCheckpoint(adapter), 'NO_WEIGHTS', 'adapter_model.safetensors', 'adapter folder');

  const gguf = freshDir();
  writeFileSync(join(gguf, 'model.gguf'), 'x');
  throwsCode(() => openCheckpoint(gguf), 'NO_WEIGHTS', 'model.gguf');

  throwsCode(() => openCheckpoint(join(root, 'does-not-exist')), 'IO_ERROR', 'does-not-exist');
});

test('writeIndex writes what transformers writes: indent 2, sorted keys, ensure_ascii, newline', () => {
  const dir = freshDir();
  writeIndex(dir, { 'b.weight': 'model-00002-of-00002.safetensors', 'a.w\u00e9ight': 'model-00001-of-00002.safetensors', '10': 'x', '9': 'x' }, 42);
  assert.equal(
    readFileSync(join(dir, 'model.safetensors.index.json'), 'utf8'),
    '{\n  "metadata": {\n    "total_size": 42\n  },\n  "weight_map": {\n' +
      '    "10": "x",\n    "9": "x",\n' +
      '    "a.w\\u00e9ight": "model-00001-of-00002.safetensors",\n' +
      '    "b.weight": "model-00002-of-00002.safetensors"\n  }\n}\n',
  );
});
