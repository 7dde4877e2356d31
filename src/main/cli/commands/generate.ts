// `loralab generate --model DIR [--adapter DIR] --prompt TEXT [--raw] [--max-new-tokens N]
// [--temperature T] [--top-p P] [--seed S] [--quantize nf4 [--double-quant]] [--json]`:
// a generate job in an engine process (the Playground's path): the prompt goes
// through the model's chat template unless --raw, and the completion streams to
// stdout token by token (with --json, one object at the end instead).
import type { GenerateResultData } from '../../../shared/ipc/job-schemas';
import { createJobServices } from '../../services/index';
import { flag, str, UsageError, type Parsed } from '../args';
import { followJob } from '../follow-job';
import { modelOptions } from './model-options';

function numberOption(args: Parsed, name: string, fallback: number, check: (n: number) => boolean, what: string): number {
  const text = str(args, name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!check(n)) throw new UsageError(`--${name} must be ${what}, got ${text}`);
  return n;
}

export async function generate(args: Parsed): Promise<number> {
  const prompt = str(args, 'prompt');
  if (prompt === undefined) throw new UsageError('--prompt <text> is required');
  const maxNewTokens = numberOption(args, 'max-new-tokens', 64, (n) => Number.isInteger(n) && n > 0 && n <= 4096, 'an integer in 1..4096');
  const temperature = numberOption(args, 'temperature', 0, (n) => n >= 0 && Number.isFinite(n), 'a number ≥ 0 (0 is greedy)');
  const topP = numberOption(args, 'top-p', 1, (n) => n > 0 && n <= 1, 'in (0, 1]');
  const seed = numberOption(args, 'seed', 0, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
  const json = flag(args, 'json');
  const model = modelOptions(args);
  const { hub, jobs, close } = createJobServices({ backend: str(args, 'backend') });
  try {
    const { jobId } = jobs.generate({ ...model, prompt, chat: !flag(args, 'raw'), maxNewTokens, temperature, topP, seed });
    const result = (await followJob(hub, jobs, jobId, { onToken: (text) => !json && process.stdout.write(text) })) as GenerateResultData;
    if (json) process.stdout.write(JSON.stringify({ prompt, ...result }) + '\n');
    else process.stdout.write('\n');
    const how = result.chatTemplate ? 'chat template applied' : flag(args, 'raw') ? 'raw prompt' : 'raw prompt: the model has no chat template';
    process.stderr.write(`${result.tokens} tokens in ${result.seconds.toFixed(2)} s (${how}; stopped at ${result.stop})\n`);
    return 0;
  } finally {
    await close();
  }
}
