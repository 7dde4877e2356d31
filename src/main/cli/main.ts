// The `loralab` command line (built to dist/cli.cjs; run as `npx loralab …`): a
// thin parser over src/main/services. The contract is in docs/ARCHITECTURE.md:
// `--json` prints exactly one JSON object on stdout, progress goes to stderr, and
// errors are one clear message, never a stack trace (LORALAB_DEBUG=1 shows one).
import { LoraLabError } from '../../shared/ipc/result';
import { parseArgs, UsageError, type Parsed } from './args';
import { commandUsage, summaryUsage } from './usage';

type Command = (args: Parsed) => Promise<number>;

interface CommandSpec {
  /** Each command lists its own options (true = takes a value), so another command's option is an error. */
  options: Record<string, boolean>;
  load: () => Promise<Command>;
  /** A command whose module prints its own --help (its summary line for `loralab --help`). */
  ownHelp?: string;
}

// Loaded on demand, and the services they use load the engine, tfjs and SQLite on
// demand too: `--help` and `inspect` pay for none of it.
const COMMON = { json: false, registry: true, backend: true, help: false } as const;
const MODEL = { model: true, adapter: true, quantize: true, 'double-quant': false } as const;

const COMMANDS: Record<string, CommandSpec> = {
  doctor: { options: {}, load: async () => (await import('./commands/doctor')).doctor },
  inspect: {
    options: { method: true, rank: true, 'target-rank': true, alpha: true, targets: true, rslora: false, 'batch-size': true, 'seq-len': true },
    load: async () => (await import('./commands/inspect')).inspect,
  },
  eval: { options: { ...MODEL, data: true, 'batch-size': true, 'exact-match': true }, load: async () => (await import('./commands/eval')).evalCommand },
  generate: {
    options: { ...MODEL, prompt: true, raw: false, 'max-new-tokens': true, temperature: true, 'top-p': true, seed: true },
    load: async () => (await import('./commands/generate')).generate,
  },
  train: { options: {}, load: async () => (await import('./commands/train')).train },
  resume: { options: {}, load: async () => (await import('./commands/resume')).resume },
  runs: { options: {}, load: async () => (await import('./commands/runs')).runs },
  merge: {
    options: { base: true, adapter: true, out: true, dtype: true, weights: true, 'max-shard-size': true, unmerge: false, 'no-verify': false, 'qlora-base': true },
    load: async () => (await import('./commands/merge')).merge,
  },
  demo: { options: { steps: true }, load: async () => (await import('./commands/demo')).demo },
  'export-job': {
    options: { out: true, gpus: true, strategy: true, 'data-paths': false, model: true, 'copy-model': false },
    load: async () => (await import('./commands/export-job')).exportJobCommand,
    ownHelp: 'export-job <run-id|config> --out DIR   a Hugging Face accelerate + PEFT job folder',
  },
  'import-job': {
    options: {},
    load: async () => (await import('./commands/import-job')).importJobCommand,
    ownHelp: 'import-job DIR [--json]                 record a finished job (or PEFT adapter) as a run',
  },
};

// `loralab ui` is a program of its own, the browser workbench's server
// (src/main/server/main.ts, built to dist/server.cjs), which bin/loralab.mjs runs
// instead of this CLI; the CLI only lists it.
const UI_SUMMARY = 'ui [--port N]                           the workbench in a browser (127.0.0.1)';
const extraSummaries = [...Object.values(COMMANDS).flatMap((c) => (c.ownHelp ? [c.ownHelp] : [])), UI_SUMMARY];
let current: string | undefined;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    const topic = command === 'help' ? rest[0] : undefined;
    process.stdout.write(topic && COMMANDS[topic] && !COMMANDS[topic].ownHelp ? commandUsage(topic) : summaryUsage(extraSummaries));
    return command ? 0 : 2;
  }
  if (command === 'ui') throw new UsageError('`ui` is its own program: run `loralab ui` (bin/loralab.mjs starts dist/server.cjs for it)');
  const spec = COMMANDS[command];
  if (!spec) throw new UsageError(`unknown command "${command}"`);
  current = command;
  // --help wins over anything else on the line, even an option the command does not know.
  if (!spec.ownHelp && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(commandUsage(command));
    return 0;
  }
  const args = parseArgs(rest, { ...COMMON, ...spec.options });
  return (await spec.load())(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    const usage = current && !COMMANDS[current]?.ownHelp ? commandUsage(current) : summaryUsage(extraSummaries);
    // A usage error, a bad config or a refused request (VALIDATION): exit 2; anything that failed while working: 1.
    const isUsage = err instanceof UsageError;
    const isInput = isUsage || (err instanceof Error && err.name === 'ConfigError') || (err instanceof LoraLabError && err.code === 'VALIDATION');
    process.stderr.write(`loralab: ${message}\n${isUsage ? `\n${usage}` : ''}`);
    if (process.env.LORALAB_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exit(isInput ? 2 : 1);
  },
);
