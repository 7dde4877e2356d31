// `loralab eval --model DIR [--adapter DIR] --data FILE [--batch-size N]
// [--quantize nf4 [--double-quant]] [--exact-match N] [--json]`: mean next-token
// cross-entropy over all predicted tokens of the file (each line is one sequence),
// and its perplexity, computed by an eval job in an engine process (the same path
// as the workbench); with --exact-match, greedy answers to the first N chat rows.
import type { EvalResultData } from '../../../shared/ipc/job-schemas';
import { createJobServices } from '../../services/index';
import { flag, str, UsageError, type Parsed } from '../args';
import { followJob } from '../follow-job';
import { modelOptions } from './model-options';

export async function evalCommand(args: Parsed): Promise<number> {
  const data = str(args, 'data');
  if (!data) throw new UsageError('--data <file.jsonl> is required');
  const batchSize = Number(str(args, 'batch-size') ?? 8);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`--batch-size must be a positive integer, got ${str(args, 'batch-size')}`);
  const limit = str(args, 'exact-match');
  const exactMatch = limit === undefined ? null : { limit: Number(limit), maxNewTokens: 32 };
  if (exactMatch && (!Number.isInteger(exactMatch.limit) || exactMatch.limit < 1)) throw new UsageError(`--exact-match must be a positive integer, got ${limit}`);
  const model = modelOptions(args);
  const { hub, jobs, close } = createJobServices({ backend: str(args, 'backend') });
  try {
    const { jobId } = jobs.eval({ ...model, data, batchSize, exactMatch });
    const result = (await followJob(hub, jobs, jobId)) as EvalResultData;
    if (flag(args, 'json')) process.stdout.write(JSON.stringify(result) + '\n');
    else process.stdout.write(`loss ${result.loss.toFixed(6)}  perplexity ${result.perplexity.toFixed(4)}  tokens ${result.tokens}\n`);
    const m = result.exactMatch;
    if (m && !flag(args, 'json')) process.stdout.write(`exact match ${m.correct}/${m.total} (${(100 * m.accuracy).toFixed(1)}%)\n`);
    return 0;
  } finally {
    await close();
  }
}
