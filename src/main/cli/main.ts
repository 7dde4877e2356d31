// The `loralab` command line (built to dist/cli.cjs; run as `npx loralab …`).
// The contract is in docs/ARCHITECTURE.md: `--json` prints exactly one JSON object on
// stdout, progress goes to stderr, and errors are one clear message, never a
// stack trace (set LORALAB_DEBUG=1 to see one).
import { parseArgs, UsageError, type Parsed } from './args';
import { ConfigError } from '../services/config-file';

const USAGE = `usage: loralab <command> [options]

  doctor [--json]                       backend in use, versions, GPU, paths
  inspect <model|preset> [--json]      adapter size and training memory (reads headers only)
      [--method lora|qlora|adalora] [--rank R] [--alpha A] [--targets a,b|/regex/|all-linear]
      [--target-rank R] [--rslora] [--batch-size B] [--seq-len T]
  eval --model DIR [--adapter DIR] --data FILE [--batch-size N] [--json]
                                        mean next-token loss and perplexity over a JSON Lines file
  generate --model DIR [--adapter DIR] --prompt TEXT [--max-new-tokens N]
      [--temperature T] [--top-p P] [--seed S] [--json]   stream a completion
      eval and generate: [--quantize nf4 [--double-quant]] runs the base as QLoRA trains it
      (decoder-block linear weights in NF4, block 64; --double-quant also 8-bit block scales)
  train <config.(json|yaml)> [--json]   train a run and record it in the registry
  resume <run-id|checkpoint-dir> [--json]  continue a stopped or crashed run exactly
  runs list|show <id> [--json]          runs in the registry
  merge --base DIR --adapter DIR[,DIR] --out DIR [--weights w,w] [--dtype float32|float16|bfloat16]
      [--max-shard-size 5GB] [--unmerge] [--no-verify] [--json]   merge adapters into a model folder
  ui [--port N]                         the workbench in a browser (127.0.0.1)
  demo [--steps N] [--json]             the bundled demo: LoRA on lab-tiny-llama, before/after, merge

common options: --registry <file>  --backend auto|tensorflow|wasm|cpu
`;

type Command = (args: Parsed) => Promise<number>;

// Loaded on demand: tfjs and SQLite start-up cost only the commands that use them,
// so `inspect` answers in a few tens of milliseconds. Each command lists its own
// options (true = takes a value), so an option another command owns is an error here.
const COMMON = { json: false, registry: true, backend: true, help: false } as const;
const MODEL = { model: true, adapter: true, quantize: true, 'double-quant': false } as const;

const COMMANDS: Record<string, { options: Record<string, boolean>; load: () => Promise<Command> }> = {
  doctor: { options: {}, load: async () => (await import('./commands/doctor')).doctor },
  inspect: {
    options: { method: true, rank: true, 'target-rank': true, alpha: true, targets: true, rslora: false, 'batch-size': true, 'seq-len': true },
    load: async () => (await import('./commands/inspect')).inspect,
  },
  eval: { options: { ...MODEL, data: true, 'batch-size': true }, load: async () => (await import('./commands/eval')).evalCommand },
  generate: {
    options: { ...MODEL, prompt: true, 'max-new-tokens': true, temperature: true, 'top-p': true, seed: true },
    load: async () => (await import('./commands/generate')).generate,
  },
  train: { options: {}, load: async () => (await import('./commands/train')).train },
  resume: { options: {}, load: async () => (await import('./commands/resume')).resume },
  runs: { options: {}, load: async () => (await import('./commands/runs')).runs },
  merge: {
    options: { base: true, adapter: true, out: true, dtype: true, weights: true, 'max-shard-size': true, unmerge: false, 'no-verify': false },
    load: async () => (await import('./commands/merge')).merge,
  },
  demo: { options: { steps: true }, load: async () => (await import('./commands/demo')).demo },
  ui: { options: { port: true }, load: async () => (await import('./commands/ui')).ui },
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const spec = COMMANDS[command];
  if (!spec) throw new UsageError(`unknown command "${command}"`);
  const args = parseArgs(rest, { ...COMMON, ...spec.options });
  if (args.options.has('help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  return (await spec.load())(args);
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
