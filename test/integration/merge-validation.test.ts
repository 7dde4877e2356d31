// `loralab merge` validates every adapter completely before it writes anything:
// adapter_config.json against the tensor shapes, both factors of every module,
// float dtypes, finite values, and the modules' shapes against the base model.
// Each broken adapter (made from the PEFT fixture) is refused with an error that
// names the file and the tensor or key, and --out is never created.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SafetensorsFile, writeSafetensors, type TensorToWrite } from '../../src/main/engine/io/safetensors/index';
import { CLI, ROOT, tempDir } from '../helpers';

const BASE = join(ROOT, 'test/fixtures/models/tiny-llama');
const FIXTURE = join(ROOT, 'test/fixtures/lora/tiny-llama-qv');
const Q0 = 'base_model.model.model.layers.0.self_attn.q_proj';

function readTensors(dir: string): TensorToWrite[] {
  const f = SafetensorsFile.open(join(dir, 'adapter_model.safetensors'));
  try {
    return [...f.header.tensors.values()].map((t) => ({ name: t.name, dtype: 'F32' as const, shape: [...t.shape], data: f.readFloat32(t.name) }));
  } finally {
    f.close();
  }
}

/** A copy of the fixture adapter, changed by `edit` (config and/or tensors). */
function brokenAdapter(edit: (config: Record<string, unknown>, tensors: TensorToWrite[]) => TensorToWrite[] | void): string {
  const dir = join(tempDir(), 'adapter');
  cpSync(FIXTURE, dir, { recursive: true });
  const config = JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8'));
  const tensors = readTensors(dir);
  const next = edit(config, tensors) ?? tensors;
  writeFileSync(join(dir, 'adapter_config.json'), JSON.stringify(config));
  writeSafetensors(join(dir, 'adapter_model.safetensors'), next);
  return dir;
}

function merge(adapter: string) {
  const out = join(tempDir(), 'merged');
  const r = spawnSync(process.execPath, [CLI, 'merge', '--base', BASE, '--adapter', adapter, '--out', out, '--registry', join(tempDir(), 'r.sqlite')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { ...r, out };
}

const cases: [string, (c: Record<string, unknown>, t: TensorToWrite[]) => TensorToWrite[] | void, RegExp][] = [
  ['config r=8 but tensors of rank 4', (c) => void (c.r = 8), /adapter_config\.json.*"r" is 8.*rank 4|rank 4.*"r".*8/],
  ['a rank_pattern that contradicts the tensors', (c) => void (c.rank_pattern = { q_proj: 2 }), /rank_pattern.*q_proj|q_proj.*rank_pattern/],
  ['NaN in lora_B', (_c, t) => void (t.find((x) => x.name === `${Q0}.lora_B.weight`)!.data[5] = Number.NaN), new RegExp(`${Q0}\\.lora_B\\.weight.*(NaN|not finite)`)],
  ['Infinity in lora_A', (_c, t) => void (t.find((x) => x.name === `${Q0}.lora_A.weight`)!.data[0] = Number.POSITIVE_INFINITY), new RegExp(`${Q0}\\.lora_A\\.weight.*(infinite|not finite)`)],
  [
    'lora_B whose rank dimension differs from lora_A',
    (_c, t) => t.map((x) => (x.name === `${Q0}.lora_B.weight` ? { ...x, shape: [32, 8], data: new Float32Array(256) } : x)),
    new RegExp(`${Q0}\\.lora_B\\.weight.*\\[32, 8\\]`),
  ],
  ['a module without lora_B', (_c, t) => t.filter((x) => x.name !== `${Q0}.lora_B.weight`), /q_proj.*lora_B/],
  [
    'an integer tensor',
    (_c, t) => t.map((x) => (x.name === `${Q0}.lora_A.weight` ? { ...x, dtype: 'I32' as const, data: new Int32Array(256) } : x)),
    new RegExp(`${Q0}\\.lora_A\\.weight.*I32`),
  ],
  [
    'a module whose shape does not fit the base model',
    (_c, t) =>
      t.map((x) =>
        x.name === `${Q0}.lora_A.weight` ? { ...x, shape: [4, 48], data: new Float32Array(192) } : x,
      ),
    /q_proj.*48.*64|q_proj.*\[64, 64\]/,
  ],
  ['a target_modules entry with no tensors', (c) => void (c.target_modules = ['q_proj', 'v_proj', 'k_proj']), /target_modules.*k_proj/],
];

for (const [what, edit, message] of cases) {
  test(`merge refuses ${what} before writing anything`, () => {
    const r = merge(brokenAdapter(edit));
    assert.notEqual(r.status, 0, `merged: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /adapter_(config\.json|model\.safetensors)/, 'the error names the file');
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'a stack trace');
    assert.equal(existsSync(r.out), false, '--out was created');
  });
}

test('the unbroken fixture still merges', () => {
  const r = merge(brokenAdapter(() => undefined));
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(join(r.out, 'model.safetensors')));
});
