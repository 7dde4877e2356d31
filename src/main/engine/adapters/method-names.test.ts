// What a method is lives in its folder (src/main/engine/adapters/<method>/) and its
// descriptor (src/shared/config/methods.ts). This keeps it so: no engine, service,
// CLI or server code outside those folders compares a method's name or PEFT type.
// Run: node --import tsx --test src/main/engine/adapters/method-names.test.ts
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SCANNED = ['src/main'];
const EXEMPT = ['src/main/engine/adapters/'];
const METHOD = String.raw`'(?:lora|qlora|adalora|full|LORA|ADALORA)'`;
const BRANCH = new RegExp(String.raw`(?:[!=]==\s*${METHOD})|(?:${METHOD}\s*[!=]==)|(?:case\s+${METHOD}\s*:)`);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

test('no code outside adapters/ and src/shared/config branches on a method name', () => {
  const found: string[] = [];
  for (const base of SCANNED) {
    for (const file of files(join(ROOT, base))) {
      const rel = relative(ROOT, file).split('\\').join('/');
      if (EXEMPT.some((e) => rel.startsWith(e))) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (BRANCH.test(line) && !line.trim().startsWith('//')) found.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
  }
  assert.deepEqual(found, [], `branch on the method's descriptor (src/shared/config/methods.ts) or its AdapterMethod instead:\n${found.join('\n')}`);
});

test('the rule sees a branch when there is one', () => {
  for (const line of ["if (config.method === 'adalora') {", "m !== 'full'", "case 'qlora':", "peftType === 'LORA'"]) assert.ok(BRANCH.test(line), line);
  for (const line of ["method: 'lora',", "req.method !== 'GET'", "const m: Method = 'full';"]) assert.ok(!BRANCH.test(line), line);
});
