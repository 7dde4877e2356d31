// A run on webgpu whose model has a tensor past the adapter's buffer limits is
// refused before its weights load, through the real CLI and engine: on Mesa's
// llvmpipe (128 MiB storage bindings) a 40,000 × 1,024 embedding (156 MiB) is
// over. The model is synthetic and sparse: a safetensors header over a hole, so
// the test writes and allocates nothing of its size. Without the optional
// packages the same command says webgpu is not installed.
// Run: npm run build && node --import tsx --test test/integration/webgpu-limits.test.ts
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, ROOT, TINY_MODEL, tempDir, webgpuPackagesInstalled } from '../helpers';


/** The tiny Llama's config with a 40,000-token vocabulary and hidden size 1,024; the weights' data is a hole. */
function wideVocabModel(dir: string): string {
  const model = join(dir, 'wide-vocab');
  mkdirSync(model);
  const config = JSON.parse(readFileSync(join(TINY_MODEL, 'config.json'), 'utf8'));
  writeFileSync(join(model, 'config.json'), JSON.stringify({ ...config, vocab_size: 40_000, hidden_size: 1024, head_dim: 256, num_hidden_layers: 1 }));
  const layer = 'model.layers.0';
  const tensors: Record<string, number[]> = {
    'model.embed_tokens.weight': [40_000, 1024],
    [`${layer}.input_layernorm.weight`]: [1024],
    [`${layer}.self_attn.q_proj.weight`]: [1024, 1024],
    [`${layer}.self_attn.k_proj.weight`]: [512, 1024],
    [`${layer}.self_attn.v_proj.weight`]: [512, 1024],
    [`${layer}.self_attn.o_proj.weight`]: [1024, 1024],
    [`${layer}.post_attention_layernorm.weight`]: [1024],
    [`${layer}.mlp.gate_proj.weight`]: [96, 1024],
    [`${layer}.mlp.up_proj.weight`]: [96, 1024],
    [`${layer}.mlp.down_proj.weight`]: [1024, 96],
    'model.norm.weight': [1024],
    'lm_head.weight': [40_000, 1024],
  };
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, shape] of Object.entries(tensors)) {
    const bytes = shape.reduce((n, d) => n * d, 1) * 4;
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = Buffer.from(JSON.stringify(header).padEnd(Math.ceil(JSON.stringify(header).length / 8) * 8, ' '));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  const fd = openSync(join(model, 'model.safetensors'), 'w');
  writeSync(fd, length);
  writeSync(fd, json);
  ftruncateSync(fd, 8 + json.length + offset);
  closeSync(fd);
  return model;
}

test('train --backend webgpu refuses a model whose embedding exceeds the adapter binding limit, naming the limit, the tensor and both sizes', () => {
  const dir = tempDir();
  const config = join(dir, 'run.json');
  writeFileSync(
    config,
    JSON.stringify({
      name: 'too-wide',
      model: wideVocabModel(dir),
      method: 'lora',
      lora: { r: 4, alpha: 8 },
      data: { train: join(TINY_MODEL, 'eval.jsonl'), max_seq_len: 32 },
      train: { steps: 2, batch_size: 2 },
    }),
  );
  const registry = join(dir, 'registry.sqlite');
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, 'train', config, '--registry', registry, '--backend', 'webgpu'], {
    cwd: ROOT,
    env: { ...process.env, EGL_PLATFORM: 'surfaceless', LORALAB_BACKEND: '' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.notEqual(r.status, 0, r.stdout);
  if (!webgpuPackagesInstalled()) {
    assert.match(r.stderr, /backend 'webgpu' was requested .* package webgpu is not installed/);
    return;
  }
  assert.match(
    r.stderr,
    /wide-vocab\/model\.safetensors: tensor model\.embed_tokens\.weight \[40000, 1024\] needs a 156\.3 MiB GPU buffer as float32, more than the WebGPU adapter's maxStorageBufferBindingSize of \d+\.\d MiB/,
  );
  assert.match(r.stderr, /Adapter: .*\(Dawn \w+/);
  // Refused from the header: the 312 MiB of weights were never read (they are a hole in the file).
  assert.ok(Date.now() - started < 60_000);
  const runs = JSON.parse(spawnSync(process.execPath, [CLI, 'runs', 'list', '--json', '--registry', registry], { encoding: 'utf8' }).stdout).runs;
  assert.equal(runs.length, 1);
  assert.equal(runs[0].status, 'failed');
  assert.match(runs[0].error ?? '', /maxStorageBufferBindingSize/);
});
