// Against files this code did not make: test/fixtures holds safetensors files
// and a sharded F16/BF16 checkpoint written by an independent Python writer
// (scripts/fixtures/make_fixtures.py, PyTorch's own half/bfloat16 rounding).
// Every fixture re-written here must come out byte for byte the same, and the
// sharded one must decode to the float32 values PyTorch computed.
// Run: node --import tsx --test src/main/engine/io/safetensors/fixtures.test.ts
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { openCheckpoint } from './checkpoint';
import { SafetensorsFile } from './file';
import { planShards, writeIndex } from './shards';
import { tempDir } from './testdata/temp';
import { writeSafetensors, type TensorToWrite, type WritableDtype } from './write';

const FIXTURES = join(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures');
const dir = tempDir();

function safetensorsFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const p = join(folder, name);
    if (statSync(p).isDirectory()) return safetensorsFiles(p);
    return name.endsWith('.safetensors') ? [p] : [];
  });
}

test('every fixture re-written by writeSafetensors is byte-identical to the Python-written file', () => {
  const files = safetensorsFiles(FIXTURES);
  assert.ok(files.length >= 10, `expected the fixtures in ${FIXTURES}, found ${files.length} files`);
  for (const [i, file] of files.entries()) {
    const f = SafetensorsFile.open(file);
    const tensors: TensorToWrite[] = [];
    try {
      for (const info of f.tensors.values()) {
        const dtype = info.dtype as WritableDtype;
        // F16/BF16 go through float32 and are re-rounded: exact only if decoding and encoding both are.
        const data = dtype === 'F32' || dtype === 'F16' || dtype === 'BF16' ? f.readFloat32(info.name) : (f.read(info.name) as TensorToWrite['data']);
        tensors.push({ name: info.name, dtype, shape: info.shape, data });
      }
    } finally {
      f.close();
    }
    const copy = join(dir, `copy-${i}.safetensors`);
    writeSafetensors(copy, tensors, f.metadata);
    assert.ok(readFileSync(copy).equals(readFileSync(file)), `${relative(FIXTURES, file)} differs when re-written`);
  }
});

test('the sharded F16/BF16 fixture decodes to PyTorch’s float32 values bit for bit', () => {
  const folder = join(FIXTURES, 'sharded-f16-bf16');
  const ckpt = openCheckpoint(folder);
  const expected = SafetensorsFile.open(join(folder, 'expected_float32.safetensors'));
  try {
    assert.equal(ckpt.files.length, 2);
    assert.deepEqual([...ckpt.tensors.keys()].sort(), [...expected.tensors.keys()].sort());
    const dtypes = new Set<string>();
    for (const [name, info] of ckpt.tensors) {
      dtypes.add(info.dtype);
      const got = ckpt.readFloat32(name);
      const want = expected.readFloat32(name);
      assert.deepEqual(new Uint32Array(got.buffer), new Uint32Array(want.buffer), name);
    }
    assert.deepEqual([...dtypes].sort(), ['BF16', 'F16']);

    // The index, re-planned in its own order and written by writeIndex, is the same file.
    const index = JSON.parse(readFileSync(join(folder, 'model.safetensors.index.json'), 'utf8')) as {
      metadata: { total_size: number };
      weight_map: Record<string, string>;
    };
    assert.equal(ckpt.totalSize, index.metadata.total_size);
    const out = tempDir();
    writeIndex(out, index.weight_map, index.metadata.total_size);
    assert.equal(readFileSync(join(out, 'model.safetensors.index.json'), 'utf8'), readFileSync(join(folder, 'model.safetensors.index.json'), 'utf8'));
    const total = [...ckpt.tensors.values()].reduce((s, t) => s + t.end - t.begin, 0);
    assert.equal(planShards([...ckpt.tensors.values()].map((t) => ({ name: t.name, bytes: t.end - t.begin })), 1e9).totalSize, total);
  } finally {
    ckpt.close();
    expected.close();
  }
});
