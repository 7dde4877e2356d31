// ESLint rule that keeps LoRA Lab's dependency direction (docs/ARCHITECTURE.md "Layout"):
//   renderer -> shared <- main; cli, ipc, server -> services -> engine, registry -> shared;
//   the CLI imports only services and shared, and no composition root (cli, server, app) imports another.
// Each zone lists what it must not import: other zones (by resolved path) and packages.
import { dirname, relative, resolve } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** Zones, most specific first. `forbidZones` are path prefixes; `forbidPackages` are specifiers or prefixes. */
const ZONES = [
  {
    zone: 'src/shared',
    forbidZones: ['src/main', 'src/renderer'],
    forbidPackages: ['node:', 'electron', '@tensorflow/', 'better-sqlite3', 'react', 'ws'],
    why: 'shared is pure TypeScript for both sides',
  },
  {
    zone: 'src/renderer',
    forbidZones: ['src/main'],
    forbidPackages: ['node:', 'electron', '@tensorflow/', 'better-sqlite3', 'ws'],
    why: 'the renderer talks to main only through the typed client in src/shared/ipc',
  },
  {
    zone: 'src/main/engine',
    forbidZones: ['src/renderer', 'src/main/app', 'src/main/ipc', 'src/main/server', 'src/main/services', 'src/main/cli', 'src/main/registry/'],
    allowFiles: ['src/main/registry/index.ts'],
    forbidPackages: ['electron'],
    why: 'the engine runs in plain Node and uses only the registry\'s public entry',
  },
  {
    zone: 'src/main/registry',
    forbidZones: ['src/renderer', 'src/main/engine', 'src/main/app', 'src/main/ipc', 'src/main/server', 'src/main/services', 'src/main/cli'],
    forbidPackages: ['electron', '@tensorflow/'],
    why: 'the registry never imports the engine or the app',
  },
  {
    zone: 'src/main/services',
    forbidZones: ['src/renderer', 'src/main/app', 'src/main/ipc', 'src/main/server', 'src/main/cli'],
    forbidPackages: ['electron'],
    why: 'services are composed by cli, ipc and server, not the other way round',
  },
  {
    // A thin parser over services: what a command does lives in a service, where
    // the workbench reaches it too. `loralab ui` is not a CLI command but the
    // server's own program (src/main/server/main.ts), which bin/loralab.mjs runs.
    zone: 'src/main/cli',
    forbidZones: ['src/renderer', 'src/main/app', 'src/main/ipc', 'src/main/engine', 'src/main/registry', 'src/main/server'],
    forbidPackages: ['electron', '@tensorflow/', 'better-sqlite3', 'ws', '@huggingface/'],
    why: 'the CLI parses arguments and calls src/main/services and src/shared only',
  },
  {
    zone: 'src/main/server',
    forbidZones: ['src/renderer', 'src/main/app', 'src/main/ipc', 'src/main/cli'],
    forbidPackages: ['electron'],
    why: 'the browser server is its own composition root over services and runs without Electron',
  },
  { zone: 'src/main', forbidZones: ['src/renderer'], forbidPackages: [], why: 'main never imports the renderer' },
];

const norm = (p) => p.split('\\').join('/');

function zoneOf(file) {
  const rel = norm(relative(ROOT, file));
  return ZONES.find((z) => rel === z.zone || rel.startsWith(z.zone + '/'));
}

function check(context, node, source) {
  if (typeof source !== 'string') return;
  const file = context.filename ?? context.getFilename();
  const zone = zoneOf(file);
  if (!zone) return;
  if (source.startsWith('.')) {
    const target = norm(relative(ROOT, resolve(dirname(file), source)));
    const targetFile = (ext) => target + ext;
    if (zone.allowFiles?.some((f) => [targetFile(''), targetFile('.ts'), targetFile('/index.ts')].includes(f))) return;
    const bad = zone.forbidZones.find((z) => {
      const prefix = z.endsWith('/') ? z : z + '/';
      return target === z.replace(/\/$/, '') || target.startsWith(prefix);
    });
    if (bad) {
      context.report({ node, message: `${zone.zone} must not import ${target} (${bad}): ${zone.why}.` });
    }
    return;
  }
  // Unit tests beside renderer/shared code run in Node, so node:* is theirs to use.
  if (/\.test\.tsx?$/.test(file) && source.startsWith('node:')) return;
  const pkg = zone.forbidPackages.find((p) => source === p || source.startsWith(p.endsWith('/') || p.endsWith(':') ? p : p + '/'));
  if (pkg) context.report({ node, message: `${zone.zone} must not import '${source}': ${zone.why}.` });
}

export default {
  meta: { type: 'problem', docs: { description: 'enforce the dependency direction of docs/ARCHITECTURE.md' }, schema: [] },
  create(context) {
    return {
      ImportDeclaration: (n) => check(context, n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(context, n, n.source.value),
      ExportAllDeclaration: (n) => check(context, n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(context, n, n.source.value),
      CallExpression: (n) => {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments[0]?.type === 'Literal') {
          check(context, n, n.arguments[0].value);
        }
      },
    };
  },
};
