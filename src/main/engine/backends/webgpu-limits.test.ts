// Tests for the WebGPU buffer-limit check on synthetic model folders: a config
// and a safetensors file whose data is a sparse hole (ftruncate), so a 156 MiB
// embedding costs no disk and the check reads only its header.
// Run: node --import tsx --test src/main/engine/backends/webgpu-limits.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LLVMPIPE_ADAPTER as llvmpipe } from '../../../../test/backends';
import { checkBufferLimits, checkModelFitsAdapter, modelBufferNeeds, WebGpuLimitError } from './webgpu-limits';

const TINY = path.join(__dirname, '../../../../test/fixtures/models/tiny-llama');


/** A llama folder with the given tensors (all F32, data left as a hole). */
function syntheticModel(vocab: number, hidden: number, tensors: Record<string, number[]>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loralab-limits-'));
  const config = JSON.parse(readFileSync(path.join(TINY, 'config.json'), 'utf8'));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, vocab_size: vocab, hidden_size: hidden, head_dim: hidden / 4 }));
  let offset = 0;
  const header: Record<string, unknown> = {};
  for (const [name, shape] of Object.entries(tensors)) {
    const bytes = shape.reduce((n, d) => n * d, 1) * 4;
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = Buffer.from(JSON.stringify(header));
  json = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
  const fd = openSync(path.join(dir, 'model.safetensors'), 'w');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  writeSync(fd, length);
  writeSync(fd, json);
  ftruncateSync(fd, 8 + json.length + offset);
  closeSync(fd);
  return dir;
}

test('an embedding over llvmpipe 128 MiB binding limit is refused from the header, naming the limit, the tensor and both sizes', () => {
  const dir = syntheticModel(40_000, 1024, { 'model.embed_tokens.weight': [40_000, 1024], 'model.norm.weight': [1024], 'lm_head.weight': [40_000, 1024] });
  try {
    const file = path.join(dir, 'model.safetensors');
    assert.ok(statSync(file).blocks * 512 < 1e6, 'the data is a hole: nothing was written or allocated');
    assert.throws(
      () => checkModelFitsAdapter(llvmpipe, dir),
      (err: unknown) => {
        assert.ok(err instanceof WebGpuLimitError);
        assert.equal(err.limit, 'maxStorageBufferBindingSize');
        assert.equal(err.need.bytes, 40_000 * 1024 * 4);
        assert.equal(
          err.message,
          `${file}: tensor model.embed_tokens.weight [40000, 1024] needs a 156.3 MiB GPU buffer as float32, more than the WebGPU adapter's ` +
            `maxStorageBufferBindingSize of 128.0 MiB (and 1 more tensor over it: lm_head.weight). Adapter: llvmpipe (LLVM 15.0.6, 256 bits) ` +
            `(Dawn opengl, compatibility, OpenGL version 4.5 (Core Profile) Mesa 22.3.6) — a software rasterizer, a CPU emulation of a GPU. ` +
            `Choose the wasm backend (--backend wasm), a smaller model or batch, or a GPU with larger limits.`,
        );
        return true;
      },
    );
    // A larger binding limit lets it through; other backends are not checked at all.
    checkModelFitsAdapter({ ...llvmpipe, limits: { ...llvmpipe.limits, maxStorageBufferBindingSize: 2 ** 30 } }, dir);
    checkModelFitsAdapter(null, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the logits of a batch count: train.batch_size × data.max_seq_len × vocab_size', () => {
  const needs = modelBufferNeeds(TINY, { batchSize: 64, seqLen: 4096, batchSource: 'config train.batch_size (64) × data.max_seq_len (4096) × vocab_size' });
  const logits = needs.find((n) => n.tensor === 'logits');
  assert.deepEqual(logits?.shape, [64, 4096, 128]);
  assert.ok(needs.length > 10, 'every checkpoint tensor is listed');
  // The tiny model's weights fit, and 64 × 4096 × 128 float32 logits are exactly 2^27 bytes: at the limit, not over it.
  checkBufferLimits(llvmpipe, needs);
  assert.throws(
    () => checkModelFitsAdapter(llvmpipe, TINY, { batchSize: 65, seqLen: 4096, batchSource: 'config train.batch_size (65) × data.max_seq_len (4096) × vocab_size' }),
    /config train\.batch_size \(65\) × data\.max_seq_len \(4096\) × vocab_size: tensor logits \[65, 4096, 128\] needs a 130\.0 MiB GPU buffer as float32, more than the WebGPU adapter's maxStorageBufferBindingSize of 128\.0 MiB/,
  );
});

test('a tensor past maxBufferSize names that limit when it is the smaller one', () => {
  const adapter = { ...llvmpipe, limits: { maxBufferSize: 2 ** 26, maxStorageBufferBindingSize: 2 ** 27, maxStorageBuffersPerShaderStage: 8 } };
  assert.throws(
    () => checkBufferLimits(adapter, [{ tensor: 'w', shape: [5000, 5000], bytes: 1e8, source: 'x.safetensors' }]),
    (err: unknown) => err instanceof WebGpuLimitError && err.limit === 'maxBufferSize' && /maxBufferSize of 64\.0 MiB/.test(err.message),
  );
});
