#!/usr/bin/env node
// Runs every test with Node's own test runner (TypeScript through tsx):
// unit tests beside their code (src/**/*.test.ts[x]) and test/**/*.test.ts.
// Run: node scripts/test.mjs [path-substring ...]   (build first: npm test does)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function collect(dir, acc = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, acc);
    else if (/\.test\.tsx?$/.test(name)) acc.push(relative(root, p));
  }
  return acc;
}

const files = [...collect(join(root, 'src')), ...collect(join(root, 'test'))]
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// One file at a time: the e2e and engine tests each start processes and a
// browser, and this machine has two cores.
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
