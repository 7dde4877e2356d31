// The dependency-direction lint rule, run through ESLint itself on code that
// breaks (and keeps) the direction of docs/ARCHITECTURE.md.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { ROOT } from './helpers';

const eslint = new ESLint({ cwd: ROOT });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'loralab/dependency-direction').map((m) => m.message);
}

test('a renderer -> main import fails the lint', async () => {
  const found = await problems('src/renderer/features/x.ts', "import { createServices } from '../../main/services/index';\nexport const x = createServices;\n");
  assert.equal(found.length, 1);
  assert.match(found[0]!, /src\/renderer must not import src\/main\/services\/index/);
});

test('main -> renderer, shared -> node:fs and shared -> main fail', async () => {
  assert.equal((await problems('src/main/services/x.ts', "export * from '../../renderer/main';\n")).length, 1);
  assert.equal((await problems('src/shared/math/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).length, 1);
  assert.equal((await problems('src/shared/ipc/x.ts', "import type { Registry } from '../../main/registry/api';\nexport type R = Registry;\n")).length, 1);
});

test('engine must not import electron, services or registry internals; registry must not import the engine', async () => {
  assert.equal((await problems('src/main/engine/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).length, 1);
  assert.equal((await problems('src/main/engine/x.ts', "import { Supervisor } from '../services/supervisor';\nexport const s = Supervisor;\n")).length, 1);
  assert.equal((await problems('src/main/engine/x.ts', "import * as db from '../registry/db';\nexport const d = db;\n")).length, 1);
  assert.equal((await problems('src/main/registry/x.ts', "import * as b from '../engine/backend';\nexport const d = b;\n")).length, 1);
});

test('imports along the direction pass', async () => {
  assert.deepEqual(await problems('src/renderer/x.ts', "import { requests } from '../shared/ipc/contract';\nexport const r = requests;\n"), []);
  assert.deepEqual(await problems('src/main/engine/x.ts', "import { openRegistry } from '../registry/index';\nexport const o = openRegistry;\n"), []);
  assert.deepEqual(await problems('src/main/cli/x.ts', "import { createServices } from '../services/index';\nexport const c = createServices;\n"), []);
});

test('the CLI imports only services and shared: engine, registry, server internals and heavy packages fail', async () => {
  const cli = 'src/main/cli/commands/x.ts';
  const engine = await problems(cli, "import { selectBackend } from '../../engine/backend';\nexport const s = selectBackend;\n");
  assert.equal(engine.length, 1);
  assert.match(engine[0]!, /src\/main\/cli must not import src\/main\/engine\/backend .*src\/main\/services and src\/shared only/);
  assert.equal((await problems(cli, "import { openRegistry } from '../../registry/index';\nexport const o = openRegistry;\n")).length, 1);
  assert.equal((await problems(cli, "import { serveStatic } from '../../server/static-files';\nexport const s = serveStatic;\n")).length, 1);
  assert.equal((await problems(cli, "import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n")).length, 1);
  assert.equal((await problems(cli, "import Database from 'better-sqlite3';\nexport const d = Database;\n")).length, 1);
  assert.equal((await problems(cli, "export const load = () => import('../../engine/process');\n")).length, 1, 'a lazy import counts too');
  assert.deepEqual(await problems(cli, "import { inspectModel } from '../../services/inspect';\nexport const i = inspectModel;\n"), []);
  assert.deepEqual(await problems(cli, "import { METRIC } from '../../../shared/ipc/metric-names';\nexport const m = METRIC;\n"), []);
});

test('the CLI does not start the browser server and the server does not reach into the CLI: each is its own program', async () => {
  const fromCli = await problems('src/main/cli/commands/x.ts', "import { startUiServer } from '../../server/ui-server';\nexport const u = startUiServer;\n");
  assert.equal(fromCli.length, 1);
  assert.match(fromCli[0]!, /src\/main\/cli must not import src\/main\/server\/ui-server \(src\/main\/server\)/);
  assert.equal((await problems('src/main/cli/main.ts', "export const ui = () => import('../server/main');\n")).length, 1, 'a lazy import counts too');
  assert.equal((await problems('src/main/server/main.ts', "import { parseArgs } from '../cli/args';\nexport const p = parseArgs;\n")).length, 1);
  assert.deepEqual(await problems('src/main/server/main.ts', "import { createServices } from '../services/index';\nexport const c = createServices;\n"), []);
});
