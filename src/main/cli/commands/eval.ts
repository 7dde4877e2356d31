// `loralab eval --model DIR [--adapter DIR] --data FILE [--batch-size N] [--json]`:
// mean next-token cross-entropy over all predicted tokens of the file (each line
// is one sequence), and its perplexity.
import { readExamples } from '../../engine/data/jsonl';
import { evaluate } from '../../engine/infer/evaluate';
import { flag, str, UsageError, type Parsed } from '../args';
import { openModelSession } from './model-session';

export async function evalCommand(args: Parsed): Promise<number> {
  const data = str(args, 'data');
  if (!data) throw new UsageError('--data <file.jsonl> is required');
  const batchSize = Number(str(args, 'batch-size') ?? 8);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`--batch-size must be a positive integer, got ${str(args, 'batch-size')}`);
  const session = await openModelSession(args);
  try {
    const examples = readExamples(data, session.tokenizer, session.loaded.spec.maxPositions);
    const result = await evaluate(session.loaded.model, examples, {
      batchSize,
      onProgress: (done, total) => process.stderr.isTTY && process.stderr.write(`\revaluating ${done}/${total}\x1b[K`),
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (flag(args, 'json')) process.stdout.write(JSON.stringify(result) + '\n');
    else process.stdout.write(`loss ${result.loss.toFixed(6)}  perplexity ${result.perplexity.toFixed(4)}  tokens ${result.tokens}\n`);
    return 0;
  } finally {
    session.close();
  }
}
