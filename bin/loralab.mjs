#!/usr/bin/env node
// The `loralab` command: `loralab ui` (and `loralab help ui`) runs the browser
// workbench's server (dist/server.cjs), every other command the CLI (dist/cli.cjs).
// Both are built by `npm run build`, which `npm install` runs through the prepare
// script. Each is required in this process, so signals reach it directly.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const [command, topic] = process.argv.slice(2);
const program = command === 'ui' || (command === 'help' && topic === 'ui') ? 'server.cjs' : 'cli.cjs';
const entry = new URL(`../dist/${program}`, import.meta.url);
if (!existsSync(entry)) {
  console.error(`loralab: dist/${program} is missing; run \`npm run build\` in the LoRA Lab folder first.`);
  process.exit(1);
}
createRequire(import.meta.url)(entry.pathname);
