// inspect and training select the same modules for the same targets: every preset
// in resources/presets (shrunk to a tiny model of the same architecture and layout,
// written as a real model folder) and every fixture model, for PEFT's default
// targets, all-linear, lm_head and each module leaf name — `loralab inspect`'s
// report on one side, the trainer's selection on the loaded runtime model on the other.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { methodInfo } from '../../src/shared/config/methods';
import type { AdapterMethod } from '../../src/shared/math/adapter-size';
import { leafName, type TargetSpec } from '../../src/shared/math/targets';
import { selectTrainingTargets } from '../../src/main/engine/adapters/targets';
import { selectBackend, type Tf } from '../../src/main/engine/backend';
import { writeSafetensors } from '../../src/main/engine/io/safetensors/index';
import { architectureFor } from '../../src/main/engine/models/index';
import { loadModel } from '../../src/main/engine/models/load-model';
import { inspectModel } from '../../src/main/services/inspect';
import { ROOT, tempDir } from '../helpers';

let tf: Tf;
before(async () => {
  tf = (await selectBackend({ prefer: 'wasm' })).tf;
});

/** The preset's config with every size shrunk, keeping its layout (GQA, tying, gating). */
function shrink(config: Record<string, unknown>): Record<string, unknown> {
  const c: Record<string, unknown> = { ...config };
  const set = (keys: string[], v: number) => keys.forEach((k) => k in c && (c[k] = v));
  const heads = (c.num_attention_heads ?? c.n_head) as number;
  const kv = (c.num_key_value_heads ?? c.multi_query_group_num ?? heads) as number;
  set(['hidden_size', 'n_embd'], 16);
  set(['intermediate_size', 'ffn_hidden_size', 'inner_hidden_size', 'n_inner'], 24);
  set(['num_hidden_layers', 'num_layers', 'n_layer'], 2);
  set(['num_attention_heads', 'n_head'], 4);
  set(['num_key_value_heads', 'multi_query_group_num'], kv < heads ? 2 : 4);
  set(['head_dim', 'kv_channels'], 4);
  set(['vocab_size', 'padded_vocab_size'], 48);
  set(['max_position_embeddings', 'n_positions', 'n_ctx', 'seq_length', 'max_sequence_length', 'sliding_window'], 32);
  for (const k of Object.keys(c)) if (k.endsWith('token_id') && typeof c[k] === 'number') c[k] = 1;
  delete c.quantization_config;
  return c;
}

function writeModel(dir: string, config: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const arch = architectureFor(config);
  const tensors = arch.tensorShapes(arch.parseConfig(config, 'config.json')).map((t) => ({
    name: t.name,
    dtype: 'F32' as const,
    shape: t.shape,
    data: new Float32Array(t.shape.reduce((a, b) => a * b, 1)).fill(0.01),
  }));
  writeSafetensors(join(dir, 'model.safetensors'), tensors);
}

const sorted = (xs: string[]) => [...xs].sort();

function compare(dir: string, label: string): number {
  const loaded = loadModel(tf, dir);
  let checked = 0;
  try {
    const leaves = [...new Set(loaded.model.linears().map((l) => leafName(l.name)))];
    const methods: AdapterMethod[] = ['lora', 'adalora'];
    for (const method of methods) {
      const info = methodInfo(method);
      const specs: (TargetSpec | null)[] = [null, 'all-linear', ['lm_head'], ...leaves.map((l) => [l])];
      for (const spec of specs) {
        if (spec === null && !loaded.architecture.defaultTargets[info.defaultTargets]) continue;
        const inspected = sorted(inspectModel(dir, { method, targets: spec }).modules.map((m) => m.module));
        const trained = sorted(selectTrainingTargets(loaded, spec, info).map((l) => l.name));
        assert.deepEqual(trained, inspected, `${label}, ${method}, targets ${JSON.stringify(spec)}`);
        checked++;
      }
    }
    // An embedding table: inspect sizes a LoRA on it, training refuses it by name (the runtime trains Linear/Conv1D).
    const embed = loaded.architecture.modulePath(loaded.model.weights.embedTensor.replace(/\.weight$/, ''));
    assert.deepEqual(inspectModel(dir, { method: 'lora', targets: [leafName(embed)] }).modules.map((m) => m.module), [embed]);
    assert.throws(() => selectTrainingTargets(loaded, [leafName(embed)], methodInfo('lora')), new RegExp(`"${embed.replace(/\./g, '\\.')}" is an Embedding`));
  } finally {
    loaded.model.dispose();
  }
  return checked;
}

test('every preset: inspect and training select the same modules', () => {
  const presets = readdirSync(join(ROOT, 'resources/presets')).filter((f) => f.endsWith('.json')).sort();
  assert.ok(presets.length >= 10);
  const root = tempDir();
  for (const file of presets) {
    const preset = JSON.parse(readFileSync(join(ROOT, 'resources/presets', file), 'utf8')) as { config: Record<string, unknown> };
    const dir = join(root, file.replace(/\.json$/, ''));
    writeModel(dir, shrink(preset.config));
    if (!architectureFor(preset.config).build) {
      // No forward pass for this architecture: training refuses the model itself, so there is nothing to disagree on.
      assert.throws(() => loadModel(tf, dir), /cannot run its forward pass yet/, file);
      continue;
    }
    assert.ok(compare(dir, file) > 4, file);
  }
});

test('every fixture model: inspect and training select the same modules', () => {
  const models = join(ROOT, 'test/fixtures/models');
  for (const name of readdirSync(models)) assert.ok(compare(join(models, name), name) > 4, name);
});
