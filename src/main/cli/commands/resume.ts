// `loralab resume <run-id|checkpoint-dir> [--json]`: continues a stopped, crashed
// or failed run exactly where its checkpoint left it (weights, optimizer moments,
// schedule, RNG, data position, step), under the same run id.
import { resolve } from 'node:path';
import { createServices } from '../../services/index';
import { str, UsageError, type Parsed } from '../args';
import { followRun } from './follow-run';

export async function resume(args: Parsed): Promise<number> {
  const target = args.positionals[0];
  if (!target) throw new UsageError('resume needs a run id or a checkpoint folder: loralab resume <run-id|checkpoint-dir>');
  const services = createServices({ registryPath: str(args, 'registry'), backend: str(args, 'backend') });
  try {
    const { runId, checkpoint } = services.runs.resume(/^\d+$/.test(target) ? Number(target) : resolve(target));
    process.stderr.write(`run ${runId}: resuming from ${checkpoint}\n`);
    return await followRun(services, runId, args);
  } finally {
    await services.close();
  }
}
