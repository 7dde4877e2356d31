// A small argument parser for the CLI contract in docs/ARCHITECTURE.md: positionals, boolean
// flags and `--name value` / `--name=value` options. Unknown options are errors.
export interface Parsed {
  positionals: string[];
  options: Map<string, string | true>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `spec` maps each known option to whether it takes a value. */
export function parseArgs(argv: readonly string[], spec: Record<string, boolean>): Parsed {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (!(name in spec)) throw new UsageError(`unknown option --${name}`);
    if (!spec[name]) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      options.set(name, true);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(`--${name} needs a value`);
    }
    options.set(name, value);
  }
  return { positionals, options };
}

export const str = (p: Parsed, name: string): string | undefined => {
  const v = p.options.get(name);
  return typeof v === 'string' ? v : undefined;
};
export const flag = (p: Parsed, name: string): boolean => p.options.get(name) === true;
