// `loralab inspect` end to end on checkpoints laid out like the real ones: a
// ChatGLM-6B-shaped checkpoint in 8 shards (~12 GB of F16, written sparse with
// truncate, so it costs no disk) and a GPT-2 hub-shaped model.safetensors. It
// checks the numbers of THUDM/chatglm-6b config.json and modeling_chatglm.py, that only headers are read (the child
// process's /proc/self/io rchar), and that the answer comes in under 0.5 s.
// Run: node scripts/build.mjs && node --import tsx --test test/integration/inspect.test.ts
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { presetConfig as presetConfigOf, writeSparseCheckpoint, writeSparseSafetensors } from '../../bench/sparse-checkpoint';
import { inspectModel } from '../../src/main/services/inspect';
import { architectureFor, type TensorShape } from '../../src/main/engine/models/index';
import { CLI, ROOT, tempDir } from '../helpers';

const loralab = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
const presetConfig = (id: string) => presetConfigOf(ROOT, id);

/** ChatGLM-6B's tensors from its config, split into 8 shards as the hub's checkpoint is. */
const chatglmCheckpoint = () => writeSparseCheckpoint(ROOT, 'chatglm-6b', join(tempDir('loralab-inspect-'), 'chatglm-6b'));

const checkpoint = chatglmCheckpoint();

test('the checkpoint is ChatGLM-6B sized: ~12 GB of F16 in 8 shards', () => {
  assert.equal(checkpoint.bytes, 2 * (6_173_286_400 + 28 * 32)); // parameters + the inv_freq buffers, 2 bytes each
  assert.ok(existsSync(join(checkpoint.dir, 'model-00008-of-00008.safetensors')));
});

test('CLI: ChatGLM-6B sharded checkpoint, LoRA r=8 on query_key_value → the printout and file sizes', () => {
  const r = loralab(['inspect', checkpoint.dir, '--method', 'lora', '--rank', '8', '--targets', 'query_key_value', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'exactly one JSON object on stdout');
  const out = JSON.parse(lines[0]!);
  assert.equal(out.trainableParams, 3_670_016);
  assert.equal(out.totalParams, 6_176_956_416);
  assert.ok(Math.abs(out.trainablePercent - 0.0594) < 0.00005);
  assert.equal(out.adapterBytes.fileFloat32, 14_688_368);
  assert.equal(out.adapterBytes.fileFloat16, 7_348_296);
  assert.equal(out.adapterBytes.float32, 14_680_064);
  assert.equal(out.modules.length, 28);
  assert.equal(out.method, 'lora');
  assert.equal(out.rank, 8);
  assert.deepEqual(out.targets, ['query_key_value']);
  assert.equal(out.model.files.length, 8);
  assert.ok(out.memory.totalBytes > 0 && out.memory.terms.every((t: { formula: string }) => t.formula.length > 0));
});

test('in-process: inspecting the 12 GB sharded checkpoint takes under 0.5 s', () => {
  const t0 = performance.now();
  const report = inspectModel(checkpoint.dir, { method: 'lora', rank: 8, targets: ['query_key_value'] });
  const ms = performance.now() - t0;
  assert.equal(report.totalParams, 6_176_956_416);
  assert.ok(ms < 500, `inspect took ${ms.toFixed(1)} ms`);
});

test('no tensor data is read: the inspect call reads < 2 MB through read syscalls for a 12 GB checkpoint, and loads no tfjs', { skip: !existsSync('/proc/self/io') }, () => {
  const script = `
    const { readFileSync } = require('node:fs');
    const { inspectModel } = require(${JSON.stringify(join(ROOT, 'src/main/services/inspect.ts'))});
    const rchar = () => Number(/rchar:\\s*(\\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))[1]);
    const before = rchar();
    const t0 = performance.now();
    const r = inspectModel(${JSON.stringify(checkpoint.dir)}, { method: 'lora', rank: 8, targets: ['query_key_value'] });
    const ms = performance.now() - t0;
    const after = rchar();
    const tfjs = Object.keys(require.cache).filter((k) => k.includes('@tensorflow'));
    process.stdout.write(JSON.stringify({ read: after - before, ms, total: r.totalParams, tfjs }));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(child.status, 0, child.stderr);
  const { read, ms, total, tfjs } = JSON.parse(child.stdout) as { read: number; ms: number; total: number; tfjs: string[] };
  assert.equal(total, 6_176_956_416);
  assert.ok(read < 2_000_000, `read ${read} bytes`);
  assert.ok(read > 0, 'the headers themselves were read');
  assert.ok(ms < 500, `inspect took ${ms.toFixed(1)} ms`);
  assert.deepEqual(tfjs, [], 'the inspect path loads no tfjs');
});

test('the preset gives the same answer as the checkpoint', () => {
  const fromPreset = inspectModel('chatglm-6b', { method: 'lora', rank: 8, targets: ['query_key_value'] });
  const fromDir = inspectModel(checkpoint.dir, { method: 'lora', rank: 8, targets: ['query_key_value'] });
  assert.equal(fromPreset.trainableParams, 3_670_016);
  assert.equal(fromPreset.totalParams, 6_176_956_416);
  assert.deepEqual(fromPreset.adapterBytes, fromDir.adapterBytes);
  assert.deepEqual(fromPreset.modules, fromDir.modules);
  assert.deepEqual(fromPreset.memory, fromDir.memory);
});

test('PEFT defaults apply without --targets; AdaLoRA on chatglm needs explicit targets', () => {
  assert.deepEqual(inspectModel(checkpoint.dir).targets, ['query_key_value']);
  assert.throws(() => inspectModel(checkpoint.dir, { method: 'adalora' }), /no default AdaLoRA targets for model_type "chatglm"/);
  const ada = inspectModel(checkpoint.dir, { method: 'adalora', targets: ['query_key_value'] });
  assert.equal(ada.trainableParams, 28 * 12 * (4096 + 12288 + 1));
  assert.equal(ada.adalora?.targetParams, 28 * 8 * (4096 + 12288 + 1));
});

test('GPT-2 hub layout: names without transformer., Conv1D [in,out], causal-mask buffers not counted', () => {
  const dir = join(tempDir('loralab-inspect-gpt2-'), 'gpt2');
  mkdirSync(dir);
  const config = presetConfig('gpt2');
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const arch = architectureFor(config);
  writeSparseSafetensors(join(dir, 'model.safetensors'), arch.tensorShapes(arch.parseConfig(config, 'config.json')), 'F32');
  const r = inspectModel(dir, {});
  assert.equal(r.baseParams, 124_439_808);
  assert.equal(r.trainableParams, 294_912);
  assert.equal(r.modules[0]!.module, 'transformer.h.0.attn.c_attn');
  assert.deepEqual([r.modules[0]!.in, r.modules[0]!.out], [768, 2304]);
});

test('an unknown model_type works from headers with --targets, and says what to do without', () => {
  const dir = join(tempDir('loralab-inspect-unknown-'), 'tiny');
  mkdirSync(dir);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bloom', hidden_size: 16, n_layer: 2, num_attention_heads: 2, vocab_size: 64 }));
  const tensors: TensorShape[] = [{ name: 'word_embeddings.weight', shape: [64, 16], kind: 'embedding' }];
  for (let l = 0; l < 2; l++) {
    tensors.push({ name: `h.${l}.self_attention.query_key_value.weight`, shape: [48, 16], kind: 'linear' });
    tensors.push({ name: `h.${l}.self_attention.query_key_value.bias`, shape: [48], kind: 'bias' });
    tensors.push({ name: `h.${l}.input_layernorm.weight`, shape: [16], kind: 'norm' });
  }
  writeSparseSafetensors(join(dir, 'model.safetensors'), tensors, 'F32');
  const r = inspectModel(dir, { rank: 4, targets: ['query_key_value'] });
  assert.equal(r.trainableParams, 2 * 4 * (16 + 48));
  assert.equal(r.baseParams, 64 * 16 + 2 * (48 * 16 + 48 + 16));
  assert.equal(r.model.modelType, 'bloom');
  const cli = loralab(['inspect', dir, '--json']);
  assert.equal(cli.status, 2);
  assert.match(cli.stderr, /model_type "bloom" has no default targets \(known: chatglm, gpt2, llama, mistral, qwen2\); pass --targets/);
});

test('errors name the file and what was expected, with no stack trace', () => {
  const empty = tempDir('loralab-inspect-empty-');
  let r = loralab(['inspect', empty]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /config\.json: not found; a Hugging Face model folder has a config\.json/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);

  writeFileSync(join(empty, 'config.json'), JSON.stringify({ ...presetConfig('llama-2-7b'), hidden_size: 'big' }));
  r = loralab(['inspect', empty]);
  assert.match(r.stderr, /config\.json: invalid llama config\n\s+key "hidden_size": expected a positive integer, got "big"/);

  writeFileSync(join(empty, 'config.json'), JSON.stringify(presetConfig('llama-2-7b')));
  writeFileSync(join(empty, 'pytorch_model.bin'), '');
  r = loralab(['inspect', empty]);
  assert.match(r.stderr, /holds PyTorch pickle weights \(pytorch_model\.bin\) and no model\.safetensors\. LoRA Lab refuses pickled checkpoints/);

  r = loralab(['inspect', checkpoint.dir, '--targets', 'qkv']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /target "qkv" matches no module/);
  r = loralab(['inspect', 'no-such-preset']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /"no-such-preset" is neither a model folder nor a preset \(presets: chatglm-6b, .*gpt2/);
  r = loralab(['inspect', 'gpt2', '--rank', 'x']);
  assert.match(r.stderr, /--rank must be a positive integer, got "x"/);
});

test('a folder with both model.safetensors and an index: inspect counts what loading reads', () => {
  // transformers (and openCheckpoint) take model.safetensors when both exist; inspect must not
  // count the shards of a stale index instead.
  const dir = tempDir('loralab-inspect-both-');
  const fixture = join(ROOT, 'test/fixtures/models/tiny-llama');
  writeFileSync(join(dir, 'config.json'), readFileSync(join(fixture, 'config.json')));
  writeFileSync(join(dir, 'model.safetensors'), readFileSync(join(fixture, 'model.safetensors')));
  writeSparseSafetensors(join(dir, 'model-00001-of-00001.safetensors'), [{ name: 'model.embed_tokens.weight', shape: [128, 64] }], 'F32');
  writeFileSync(
    join(dir, 'model.safetensors.index.json'),
    JSON.stringify({ metadata: {}, weight_map: { 'model.embed_tokens.weight': 'model-00001-of-00001.safetensors' } }),
  );
  const viaInspect = JSON.parse(loralab(['inspect', dir, '--json']).stdout);
  const viaFixture = JSON.parse(loralab(['inspect', fixture, '--json']).stdout);
  assert.equal(viaInspect.totalParams, viaFixture.totalParams);
  assert.ok(viaInspect.totalParams > 128 * 64);
});

test('the readable report collapses repeated layers and shows bytes and formulas', () => {
  const r = loralab(['inspect', 'chatglm-6b', '--targets', 'query_key_value']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /trainable\s+3,670,016\s+\(0\.0594% of 6,176,956,416 total\)/);
  assert.match(r.stdout, /14,688,368 B = 14\.69 MB \(14\.01 MiB\) float32/);
  assert.match(r.stdout, /transformer\.layers\.\{0-27\}\.attention\.query_key_value\s+\[12288, 4096\].*×28/);
  assert.match(r.stdout, /activations .*Korthikanti/);
  assert.equal(r.stdout.split('\n').filter((l) => l.includes('query_key_value')).length, 2); // targets line + one collapsed row
});
