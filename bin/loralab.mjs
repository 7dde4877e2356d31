#!/usr/bin/env node
// The `loralab` command: runs the built CLI (dist/cli.cjs, made by `npm run build`,
// which `npm install` runs through the prepare script).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const cli = new URL('../dist/cli.cjs', import.meta.url);
if (!existsSync(cli)) {
  console.error('loralab: dist/cli.cjs is missing; run `npm run build` in the LoRA Lab folder first.');
  process.exit(1);
}
createRequire(import.meta.url)(cli.pathname);
