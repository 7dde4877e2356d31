// `loralab generate --model DIR [--adapter DIR] --prompt TEXT [--max-new-tokens N]
// [--temperature T] [--top-p P] [--seed S] [--json]`: streams the completion to
// stdout token by token (with --json, prints one object at the end instead).
import { generate as run } from '../../engine/infer/generate';
import { flag, str, UsageError, type Parsed } from '../args';
import { openModelSession } from './model-session';

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
  const maxNewTokens = numberOption(args, 'max-new-tokens', 64, (n) => Number.isInteger(n) && n > 0, 'a positive integer');
  const temperature = numberOption(args, 'temperature', 0, (n) => n >= 0 && Number.isFinite(n), 'a number ≥ 0 (0 is greedy)');
  const topP = numberOption(args, 'top-p', 1, (n) => n > 0 && n <= 1, 'in (0, 1]');
  const seed = numberOption(args, 'seed', 0, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
  const json = flag(args, 'json');
  const session = await openModelSession(args);
  try {
    const tok = session.tokenizer;
    if (!tok) throw new UsageError(`${session.loaded.dir} has no tokenizer.json, so a text prompt cannot be encoded`);
    const promptIds = tok.encode(prompt);
    const stream = tok.createStreamDecoder({ skipSpecialTokens: true });
    const started = Date.now();
    const ids = await run(session.loaded.model, promptIds, {
      maxNewTokens,
      temperature,
      topP,
      seed,
      stopIds: tok.stopIds,
      onToken: (id) => {
        if (!json) process.stdout.write(stream.push(id));
      },
    });
    const seconds = (Date.now() - started) / 1000;
    const text = tok.decode(ids, { skipSpecialTokens: true });
    if (json) process.stdout.write(JSON.stringify({ prompt, text, tokens: ids.length, promptTokens: promptIds.length, seconds }) + '\n');
    else process.stdout.write(stream.flush() + '\n');
    process.stderr.write(`${ids.length} tokens in ${seconds.toFixed(2)} s\n`);
    return 0;
  } finally {
    session.close();
  }
}
