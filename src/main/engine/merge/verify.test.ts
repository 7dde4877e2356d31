// verifyMerge frees what it loaded on every path: a merged folder that fails to
// load, or a second adapter that fails to attach, leaves no tensor behind; and the
// check itself runs on every backend of test/backends.ts (wasm, cpu, webgpu).
// Run: node --import tsx --test src/main/engine/merge/verify.test.ts
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { testOnBackends } from '../../../../test/backends';
import { selectBackend, type Tf } from '../backend';
import { verifyMerge } from './verify';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', '..', 'test', 'fixtures');
const BASE = join(FIXTURES, 'models', 'tiny-llama');
const ADAPTER = join(FIXTURES, 'lora', 'tiny-llama-qv');
let tf: Tf;

before(async () => {
  tf = (await selectBackend({ prefer: 'wasm' })).tf;
});

test('a merged folder that does not load leaves no tensors behind', async () => {
  const broken = mkdtempSync(join(tmpdir(), 'loralab-verify-'));
  writeFileSync(join(broken, 'config.json'), '{}');
  const before = tf.memory().numTensors;
  await assert.rejects(verifyMerge(tf, BASE, [{ dir: ADAPTER, weight: 1 }], broken));
  assert.equal(tf.memory().numTensors, before);
});

test('an adapter that fails to attach after another one did leaves no tensors behind', async () => {
  const before = tf.memory().numTensors;
  await assert.rejects(verifyMerge(tf, BASE, [{ dir: ADAPTER, weight: 1 }, { dir: join(FIXTURES, 'no-such-adapter'), weight: 1 }], BASE));
  assert.equal(tf.memory().numTensors, before);
});

testOnBackends('the merged fixture model verifies against base + adapter', async (tf) => {
  // The base itself is not the merged model: the adapter moves logits well above float32 noise.
  const before = tf.memory().numTensors;
  const r = await verifyMerge(tf, BASE, [{ dir: ADAPTER, weight: 1 }], BASE);
  assert.ok(r.maxAbsLogitDiff > 1e-3, `${r.maxAbsLogitDiff}`);
  assert.equal(r.tokens, r.sequences * 32);
  assert.equal(tf.memory().numTensors, before, 'the check leaked tensors');
});
