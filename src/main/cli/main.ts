// The `loralab` command line (built to dist/cli.cjs; run as `npx loralab …`).
// The contract is in DESIGN.md: `--json` prints exactly one JSON object on
// stdout, progress goes to stderr, and errors are one clear message, never a
// stack trace (set LORALAB_DEBUG=1 to see one).
import { parseArgs, UsageError, type Parsed } from './args';
import { doctor } from './commands/doctor';
import { inspect } from './commands/inspect';
import { runs } from './commands/runs';
import { train } from './commands/train';
import { ui } from './commands/ui';
import { ConfigError } from '../services/config-file';

const USAGE = `usage: loralab <command> [options]

  doctor [--json]                       backend in use, versions, GPU, paths
  inspect <model|preset> [--json]      adapter size and training memory (reads headers only)
      [--method lora|qlora|adalora] [--rank R] [--alpha A] [--targets a,b|/regex/|all-linear]
      [--target-rank R] [--rslora] [--batch-size B] [--seq-len T]
  train <config.(json|yaml)> [--json]   train a run and record it in the registry
  runs list|show <id> [--json]          runs in the registry
  ui [--port N]                         the workbench in a browser (127.0.0.1)

common options: --registry <file>  --backend auto|tensorflow|wasm|cpu
`;

const COMMANDS: Record<string, (args: Parsed) => Promise<number>> = { doctor, inspect, train, runs, ui };
const OPTIONS = { json: false, registry: true, backend: true, port: true, help: false, method: true, rank: true, 'target-rank': true, alpha: true, targets: true, rslora: false, 'batch-size': true, 'seq-len': true };

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command "${command}"`);
  const args = parseArgs(rest, OPTIONS);
  if (args.options.has('help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  return run(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) process.stderr.write(`loralab: ${err.message}\n\n${USAGE}`);
    else if (err instanceof ConfigError) process.stderr.write(`loralab: ${err.message}\n`);
    else process.stderr.write(`loralab: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.LORALAB_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exit(err instanceof UsageError || err instanceof ConfigError ? 2 : 1);
  },
);
