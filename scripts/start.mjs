#!/usr/bin/env node
// `npm start`: builds, then launches the Electron app. The Electron binary is
// downloaded on first launch; where it cannot be (no network), print one clear
// line that points to the browser workbench instead of a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// Resolving the electron package triggers its first-launch download; do it in a
// child so its output and failure stay contained.
const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
  cwd: root,
  encoding: 'utf8',
  timeout: 120_000,
});
if (probe.status !== 0 || !probe.stdout || !existsSync(probe.stdout)) {
  console.error('LoRA Lab: the Electron binary is not available on this machine (it could not be downloaded); run `npx loralab ui` to open the workbench in your browser instead.');
  process.exit(1);
}
const child = spawn(probe.stdout, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
