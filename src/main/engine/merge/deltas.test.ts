// Reading an adapter's deltas for merge: an AdaLoRA folder whose tensors lack
// lora_E is refused naming the folder, the module and the missing tensor (not a
// crash on a missing key), and the complete fixture reads.
// Run: node --import tsx --test src/main/engine/merge/deltas.test.ts
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SafetensorsFile, writeSafetensors } from '../io/safetensors/index';
import { AdapterDeltas } from './deltas';

const ADALORA = join(import.meta.dirname, '..', '..', '..', '..', 'test', 'fixtures', 'lora', 'tiny-llama-adalora');

test('an AdaLoRA adapter without lora_E is refused naming the file, the module and lora_E', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loralab-deltas-'));
  copyFileSync(join(ADALORA, 'adapter_config.json'), join(dir, 'adapter_config.json'));
  const source = SafetensorsFile.open(join(ADALORA, 'adapter_model.safetensors'));
  const kept = [...source.header.tensors.values()].filter((t) => !t.name.endsWith('.lora_E'));
  writeSafetensors(
    join(dir, 'adapter_model.safetensors'),
    kept.map((t) => ({ name: t.name, dtype: 'F32' as const, shape: t.shape, data: source.readFloat32(t.name) })),
  );
  source.close();
  assert.throws(() => new AdapterDeltas([{ dir, weight: 1 }]), (err: Error) => {
    assert.match(err.message, new RegExp(`^${dir}: module "[^"]+" has no lora_E in adapter_model\\.safetensors`));
    return true;
  });
});

test('the complete AdaLoRA fixture reads', () => {
  const deltas = new AdapterDeltas([{ dir: ADALORA, weight: 1 }]);
  assert.equal(deltas.adapters.length, 1);
});
