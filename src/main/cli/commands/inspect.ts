// `loralab inspect <model-dir|preset> [--method lora|qlora|adalora] [--rank R] [--alpha A]
//   [--targets a,b,…|/regex/|all-linear] [--target-rank R] [--rslora] [--batch-size B]
//   [--seq-len T] [--json]`
// Parses the options and prints the inspect service's report (services/inspect.ts).
import { ADAPTER_METHODS } from '../../../shared/config/methods';
import { inspectModel, type InspectOptions } from '../../services/inspect';
import { flag, str, UsageError, type Parsed } from '../args';
import { formatReport } from './inspect-format';

export async function inspect(args: Parsed): Promise<number> {
  const [target, extra] = args.positionals;
  if (!target) throw new UsageError('inspect needs a model folder or a preset id');
  if (extra !== undefined) throw new UsageError(`inspect takes one model folder or preset, got also "${extra}"`);
  const report = inspectModel(target, optionsFrom(args));
  process.stdout.write(flag(args, 'json') ? JSON.stringify(report) + '\n' : formatReport(report));
  return 0;
}

function optionsFrom(args: Parsed): InspectOptions {
  const method = str(args, 'method');
  if (method !== undefined && !(ADAPTER_METHODS as readonly string[]).includes(method)) {
    throw new UsageError(`--method must be ${ADAPTER_METHODS.join(', ')}, got "${method}"`);
  }
  const targets = str(args, 'targets');
  return {
    method: method as InspectOptions['method'],
    rank: int(args, 'rank'),
    targetRank: int(args, 'target-rank'),
    alpha: num(args, 'alpha'),
    rslora: flag(args, 'rslora'),
    targets:
      targets === undefined
        ? null
        : targets === 'all-linear'
          ? 'all-linear'
          : /^\/.+\/$/.test(targets)
            ? targets.slice(1, -1) // "/…/": a regex, full-matched as PEFT does with a string
            : targets.split(',').map((t) => t.trim()).filter(Boolean),
    batchSize: int(args, 'batch-size'),
    seqLen: int(args, 'seq-len'),
  };
}

function int(args: Parsed, name: string): number | undefined {
  const v = str(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive integer, got "${v}"`);
  return n;
}

function num(args: Parsed, name: string): number | undefined {
  const v = str(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number, got "${v}"`);
  return n;
}
