// Where LoRA Lab's own files are at run time: the package root (found by walking
// up from this bundle or source file), the built engine entry, the renderer and
// the bundled resources. The same code serves `node dist/cli.cjs`, Electron and
// tests running from src/ through tsx.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'loralab') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find LoRA Lab's package.json above ${__dirname}`);
    dir = up;
  }
}

/** The engine process entry, built by `npm run build`. */
export const engineEntry = (): string => join(packageRoot(), 'dist', 'engine.cjs');
export const rendererDir = (): string => join(packageRoot(), 'dist', 'renderer');
export const resourcesDir = (): string => join(packageRoot(), 'resources');
