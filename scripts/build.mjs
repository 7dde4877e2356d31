#!/usr/bin/env node
// Builds LoRA Lab with esbuild: the Node side (CLI, engine process, browser server,
// Electron main and preload) as CommonJS bundles that keep node_modules external;
// the renderer as an ES module entry with chunks it loads on first use, its HTML
// and CSS; and Monaco's two web workers.
// Run: node scripts/build.mjs [--watch]
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const watch = process.argv.includes('--watch');

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'renderer'), { recursive: true });

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
};

// monaco-yaml's worker imports monaco-editor/esm/vs/…, a path monaco-editor's
// package "exports" map no longer offers (it maps "./*" onto esm/vs/ already).
const monacoDeepImports = {
  name: 'monaco-deep-imports',
  setup(build) {
    build.onResolve({ filter: /^monaco-editor\/esm\// }, (args) => ({ path: join(root, 'node_modules', args.path) }));
  },
};

const builds = [
  // Three Node programs: the CLI, the engine process it and the apps fork, and the
  // browser workbench's server (`loralab ui`; bin/loralab.mjs picks cli or server).
  {
    ...node,
    entryPoints: { cli: 'src/main/cli/main.ts', engine: 'src/main/engine/process.ts', server: 'src/main/server/main.ts' },
    outdir: out,
    outExtension: { '.js': '.cjs' },
  },
  // Electron's main and preload: electron itself is provided by the runtime.
  {
    ...node,
    entryPoints: { main: 'src/main/app/main.ts', preload: 'src/main/app/preload.ts' },
    outdir: join(out, 'app'),
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
  },
  {
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'esm',
    entryPoints: { app: 'src/renderer/main.tsx' },
    // Code splitting: what the page imports with import() (Monaco and monaco-yaml,
    // for the New run editor) becomes chunk files fetched on first use, not part of
    // app.js. The chunks sit beside app.js, as the workers do, because Monaco's chunk
    // finds the workers relative to its own URL (monaco-setup.ts). app.css still holds
    // all the CSS, Monaco's included (esbuild's entry CSS covers its lazy imports too).
    splitting: true,
    chunkNames: '[name]-[hash]',
    outdir: join(out, 'renderer'),
    sourcemap: 'linked',
    minify: !watch,
    jsx: 'automatic',
    loader: { '.ttf': 'file' },
    define: { 'process.env.NODE_ENV': watch ? '"development"' : '"production"' },
    logLevel: 'warning',
    absWorkingDir: root,
  },
  // Monaco's web workers, each its own classic-script bundle beside app.js. The page
  // hands them to Monaco through self.MonacoEnvironment.getWorker
  // (src/renderer/features/new-run/monaco-setup.ts): the editor worker (diffs, word
  // ranges) and monaco-yaml's language service (JSON Schema validation, completion, hover).
  {
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    entryPoints: {
      'editor.worker': 'monaco-editor/editor/editor.worker.js',
      'yaml.worker': 'monaco-yaml/yaml.worker.js',
    },
    outdir: join(out, 'renderer'),
    plugins: [monacoDeepImports],
    minify: !watch,
    define: { 'process.env.NODE_ENV': watch ? '"development"' : '"production"' },
    logLevel: 'warning',
    absWorkingDir: root,
  },
];

cpSync(join(root, 'src/renderer/index.html'), join(out, 'renderer/index.html'));

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('watching src/ for changes');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  // esbuild also writes a CSS file per lazy chunk; nothing loads them, since app.css
  // already holds every rule they have (the page links only app.css).
  const renderer = join(out, 'renderer');
  for (const f of readdirSync(renderer)) if (/\.css(\.map)?$/.test(f) && !f.startsWith('app.css')) rmSync(join(renderer, f));
}
