// The fuzzers of the fault suite, at 10,000 cases each: run config files, dataset
// lines and files, adapter folders, WebSocket frames. 0 crashes, 0 hangs, and
// every refusal names its file (and line or field). See fuzz.ts and ws-fuzz.ts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadTokenizer } from '../../src/main/engine/io/tokenizer/index';
import { ROOT } from '../helpers';
import { fuzzAdapterFolders, fuzzDatasets, fuzzDir, fuzzRunConfigs, type FuzzStats } from './fuzz';
import { fuzzWebSocketFrames } from './ws-fuzz';

const CASES = 10_000;
const scratch = fuzzDir();
after(() => scratch.remove());

function check(s: FuzzStats): void {
  assert.deepEqual(s.crashes.slice(0, 5), [], `${s.name}: ${s.crashes.length} crashes`);
  assert.equal(s.hangs, 0, `${s.name}: hangs`);
  assert.ok(s.cases >= CASES, `${s.name}: only ${s.cases} cases`);
  assert.ok(s.accepted > 0 && s.refused > 0, `${s.name}: the generator must make both valid and invalid inputs (${s.accepted} / ${s.refused})`);
}

test('run config files: 10,000 mutated JSON and YAML configs', () => check(fuzzRunConfigs(CASES, 11, scratch.dir)));

test('datasets: 10,000 mutated rows and random-byte files', async () => {
  check(fuzzDatasets(CASES, 12, scratch.dir, await loadTokenizer(join(ROOT, 'resources/models/lab-tiny-llama'))));
});

test('adapter folders: 10,000 mutated configs, tensors and files through merge validation', () => check(fuzzAdapterFolders(CASES, 13, scratch.dir)));

test('WebSocket frames: 10,000 frames against the ui server; it answers throughout', async () => {
  const s = await fuzzWebSocketFrames(CASES, 14, scratch.dir);
  assert.deepEqual(s.crashes, []);
  assert.equal(s.hangs, 0);
  assert.ok(s.cases >= CASES && s.answers > s.cases / 3, `${s.answers} answers to ${s.cases} frames`);
});
