// The lint rule that keeps engine code backend-neutral: a synchronous host read
// (dataSync, arraySync, bufferSync) fails in src/main/engine, which runs on
// webgpu too; tests and code outside the engine may still use them.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { ROOT } from './helpers';

const eslint = new ESLint({ cwd: ROOT });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-properties').map((m) => m.message);
}

const READS = ['dataSync', 'arraySync', 'bufferSync'];

test('a synchronous read in engine code fails the lint, naming the asynchronous way', async () => {
  for (const read of READS) {
    const found = await problems('src/main/engine/train/x.ts', `export const f = (t: { ${read}(): unknown }) => t.${read}();\n`);
    assert.equal(found.length, 1, read);
    assert.match(found[0]!, /'\w+' is restricted from being used\. the webgpu backend has no synchronous read; await data\(\) or array\(\)/);
  }
});

test('engine tests, and code outside the engine, may read synchronously; data() passes everywhere', async () => {
  assert.deepEqual(await problems('src/main/engine/train/x.test.ts', 'export const f = (t: { dataSync(): unknown }) => t.dataSync();\n'), []);
  assert.deepEqual(await problems('bench/x.ts', 'export const f = (t: { dataSync(): unknown }) => t.dataSync();\n'), []);
  assert.deepEqual(await problems('src/main/engine/train/x.ts', 'export const f = async (t: { data(): Promise<unknown> }) => await t.data();\n'), []);
});

test('the engine as committed has no synchronous read left', async () => {
  const results = await eslint.lintFiles(['src/main/engine/**/*.ts']);
  const found = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-properties').map((m) => `${r.filePath}:${m.line}`));
  assert.deepEqual(found, []);
});
