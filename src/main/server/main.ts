// `loralab ui [--port N]`: the browser workbench's own composition root, built to
// dist/server.cjs, which bin/loralab.mjs runs for `ui` (every other command runs
// the CLI, dist/cli.cjs, which never loads the server). It composes the same
// services as the CLI and the Electron app, serves the renderer and the contract
// on 127.0.0.1, and shuts down on Ctrl-C or SIGTERM: sockets closed, then the
// services (running engines stop after their current step).
//
// Its error contract is the CLI's (docs/ARCHITECTURE.md): one clear line on
// stderr, the usage after a usage error, exit 2 for bad input and 1 otherwise.
import { parseUiArgs, UI_USAGE, UiUsageError } from './ui-args';

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  // `loralab help ui` and `loralab ui --help` print the same usage.
  if (first === 'help') return process.stdout.write(UI_USAGE), 0;
  const options = parseUiArgs(first === 'ui' ? rest : argv);
  if (options.help) return process.stdout.write(UI_USAGE), 0;
  // Loaded once the arguments are good, as the CLI's commands are: --help and a usage
  // error pay for neither SQLite nor the WebSocket server.
  const [{ createServices }, { rendererDir, resourcesDir }, { startUiServer }] = await Promise.all([
    import('../services/index'),
    import('../services/paths'),
    import('./ui-server'),
  ]);
  const services = createServices({ registryPath: options.registry, backend: options.backend, baseDir: resourcesDir() });
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const server = await startUiServer(services, rendererDir(), options.port).catch(async (err: unknown) => {
    await services.close();
    throw err;
  });
  process.stdout.write(`LoRA Lab is running at ${server.url}\n`);
  process.stderr.write(`registry ${services.registry.path}; press Ctrl-C to quit\n`);
  await stopped;
  await server.close();
  await services.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const usage = err instanceof UiUsageError;
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`loralab ui: ${message}\n${usage ? `\n${UI_USAGE}` : ''}`);
    if (process.env.LORALAB_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exit(usage ? 2 : 1);
  },
);
