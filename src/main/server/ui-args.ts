// The options of `loralab ui`, parsed apart from the server's entry (src/main/server/main.ts)
// so its usage and errors can be tested without starting anything.
import { parseArgs } from 'node:util';

export const UI_USAGE = `usage: loralab ui [--port N] [--registry FILE] [--backend auto|tensorflow|webgpu|wasm|cpu]

  Serves the workbench on 127.0.0.1 (a random port unless --port) and prints its URL
  with the access token. Ctrl-C quits (running engines stop after their current step).
`;

export class UiUsageError extends Error {
  override readonly name = 'UsageError';
}

export interface UiOptions {
  port: number;
  registry?: string;
  backend?: string;
  help: boolean;
}

/** `argv` after `ui` (or `help ui`): the options, or a UiUsageError naming what is wrong. */
export function parseUiArgs(argv: readonly string[]): UiOptions {
  // --help wins over anything else on the line, as in the CLI (src/main/cli/main.ts).
  if (argv.includes('--help') || argv.includes('-h')) return { port: 0, help: true };
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: { port: { type: 'string' }, registry: { type: 'string' }, backend: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (err) {
    // node:util names the option ("Unknown option '--x'", "Option '--port <value>' argument missing").
    throw new UiUsageError((err as Error).message.split('. ')[0]!);
  }
  if (positionals.length > 0) throw new UiUsageError(`ui takes no arguments, got "${positionals.join(' ')}"`);
  const portText = values.port as string | undefined;
  const port = portText === undefined ? 0 : Number(portText);
  if (!/^\d+$/.test(portText ?? '0') || port > 65535) throw new UiUsageError(`--port must be 0..65535, got ${portText}`);
  return { port, registry: values.registry as string | undefined, backend: values.backend as string | undefined, help: false };
}
