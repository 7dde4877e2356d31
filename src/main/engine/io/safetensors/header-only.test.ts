// Header-only reading, proved by the process's own I/O counter: a sparse file
// shaped like a 6 GB float16 checkpoint (no disk space used) opens in
// milliseconds, and the bytes read (/proc/self/io `rchar`) are the header's,
// never the data's. Linux only, on purpose: CI is Linux, so a missing
// /proc/self/io fails here rather than skipping the proof.
// Run: node --import tsx --test src/main/engine/io/safetensors/header-only.test.ts
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openCheckpoint } from './checkpoint';
import { SafetensorsFile } from './file';
import { readHeader } from './header';
import { writeIndex } from './shards';
import { layoutHeader, type TensorSpec } from './write';
import { tempDir } from './testdata/temp';

const dir = tempDir();
const SLACK = 256 * 1024;

function rchar(): number {
  assert.ok(existsSync('/proc/self/io'), 'this test needs /proc/self/io (Linux) to count the bytes the process reads');
  const match = /^rchar:\s*(\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
  assert.ok(match, '/proc/self/io has no rchar line');
  return Number(match[1]);
}

/** Bytes the process read while running `fn`. */
function bytesReadBy<T>(fn: () => T): { value: T; bytes: number; ms: number } {
  const before = rchar();
  const start = performance.now();
  const value = fn();
  const ms = performance.now() - start;
  return { value, bytes: rchar() - before, ms };
}

/** A Llama-7B-like set of float16 matrices, plus one small float32 norm. */
function specs(layers: number, prefix: string): TensorSpec[] {
  const out: TensorSpec[] = [];
  for (let i = 0; i < layers; i += 1) {
    for (const p of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) out.push({ name: `${prefix}.layers.${i}.self_attn.${p}.weight`, dtype: 'F16', shape: [4096, 4096] });
    for (const p of ['gate_proj', 'up_proj']) out.push({ name: `${prefix}.layers.${i}.mlp.${p}.weight`, dtype: 'F16', shape: [11008, 4096] });
    out.push({ name: `${prefix}.layers.${i}.mlp.down_proj.weight`, dtype: 'F16', shape: [4096, 11008] });
  }
  out.push({ name: `${prefix}.norm.weight`, dtype: 'F32', shape: [1024] });
  return out;
}

/** Writes only the header and sets the size: the data region is a hole. */
function sparseFile(file: string, tensors: TensorSpec[]): number {
  const layout = layoutHeader(tensors, { format: 'pt' }, file);
  writeFileSync(file, layout.bytes);
  const size = layout.dataStart + layout.dataBytes;
  truncateSync(file, size);
  return size;
}

test('readHeader on a 6 GB-shaped sparse file reads only the header', () => {
  const file = join(dir, 'model.safetensors');
  const size = sparseFile(file, specs(31, 'model'));
  assert.ok(size > 6e9, `data region is only ${size} bytes`);
  assert.ok(statSync(file).blocks * 512 < 1e6, 'the test file should be sparse');

  const { value: header, bytes, ms } = bytesReadBy(() => readHeader(file));
  assert.equal(header.tensors.size, 31 * 7 + 1);
  assert.equal(header.fileSize, size);
  assert.ok(bytes >= header.headerLength, `read ${bytes} bytes, less than the ${header.headerLength}-byte header: is rchar counting?`);
  assert.ok(bytes < header.dataStart + SLACK, `read ${bytes} bytes for a ${header.dataStart}-byte header of a ${size}-byte file`);
  assert.ok(ms < 1000, `readHeader took ${ms.toFixed(0)} ms`);
});

test('SafetensorsFile reads exactly one tensor’s bytes', () => {
  const file = join(dir, 'model.safetensors');
  const f = SafetensorsFile.open(file);
  try {
    const norm = f.tensors.get('model.norm.weight')!;
    // F32 sorts before F16, so the norm's 4 KiB sit right after the header, before 6 GB of hole.
    assert.deepEqual([norm.begin, norm.end], [0, 4096]);
    const { value, bytes } = bytesReadBy(() => f.readFloat32('model.norm.weight'));
    assert.equal(value.length, 1024);
    assert.ok(bytes >= 4096 && bytes < 4096 + SLACK, `read ${bytes} bytes for a 4096-byte tensor`);

    // One 32 MiB matrix from the middle of the hole: its bytes, not its neighbours'.
    const middle = bytesReadBy(() => f.readRaw('model.layers.15.self_attn.q_proj.weight'));
    assert.equal(middle.value.length, 4096 * 4096 * 2);
    assert.ok(middle.bytes >= 4096 * 4096 * 2 && middle.bytes < 4096 * 4096 * 2 + SLACK, `read ${middle.bytes} bytes for a 32 MiB tensor`);
  } finally {
    f.close();
  }
});

test('openCheckpoint on a sparse sharded 6 GB checkpoint reads only the headers and the index', () => {
  const shardDir = join(dir, 'sharded');
  mkdirSync(shardDir);
  const weightMap: Record<string, string> = {};
  let total = 0;
  let headerBytes = 0;
  for (const [i, prefix] of ['a', 'b'].entries()) {
    const name = `model-0000${i + 1}-of-00002.safetensors`;
    const tensors = specs(16, prefix);
    const size = sparseFile(join(shardDir, name), tensors);
    const layout = layoutHeader(tensors, { format: 'pt' }, name);
    total += layout.dataBytes;
    headerBytes += layout.dataStart;
    assert.equal(size, layout.dataStart + layout.dataBytes);
    for (const t of tensors) weightMap[t.name] = name;
  }
  writeIndex(shardDir, weightMap, total);
  assert.ok(total > 6e9);

  const { value: ckpt, bytes, ms } = bytesReadBy(() => openCheckpoint(shardDir));
  try {
    assert.equal(ckpt.tensors.size, 2 * (16 * 7 + 1));
    assert.equal(ckpt.totalSize, total);
    assert.ok(bytes < headerBytes + SLACK, `read ${bytes} bytes for ${headerBytes} bytes of headers`);
    assert.ok(ms < 2000, `openCheckpoint took ${ms.toFixed(0)} ms`);
  } finally {
    ckpt.close();
  }
});
