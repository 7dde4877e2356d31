// `loralab import-job DIR [--json]`: records a finished Hugging Face job (an
// export-job folder, its output/, or any PEFT adapter folder with a Trainer
// trainer_state.json) as a run in the registry, with metrics, adapter and lineage.
import { importJobAt } from '../../services/cluster/index';
import { flag, str, UsageError, type Parsed } from '../args';

export const IMPORT_JOB_USAGE = `usage: loralab import-job DIR [--registry FILE] [--json]

Records a finished Hugging Face job as a run: log_history becomes its metrics
(loss, eval_loss, lr, grad_norm), the adapter its artifact, job.json its config
and its lineage to the run it was exported from.

  DIR     a folder written by \`loralab export-job\` after its job ran, its output/
          folder, or any PEFT adapter folder with a Hugging Face Trainer trainer_state.json
  --json  print {runId, name, status, parentRunId, artifact, metrics, steps, warnings}
`;

export async function importJobCommand(args: Parsed): Promise<number> {
  if (flag(args, 'help')) {
    process.stdout.write(IMPORT_JOB_USAGE);
    return 0;
  }
  const [dir, extra] = args.positionals;
  if (!dir) throw new UsageError('import-job needs the job folder: loralab import-job DIR');
  if (extra) throw new UsageError(`import-job takes one folder, got also "${extra}"`);
  const result = importJobAt(str(args, 'registry'), dir);
  for (const w of result.warnings) process.stderr.write(`loralab: warning: ${w}\n`);
  if (flag(args, 'json')) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    const counts = Object.entries(result.metrics).map(([name, n]) => `${n} ${name}`).join(', ');
    const lineage = result.parentRunId === null ? '' : `, exported from run ${result.parentRunId}`;
    process.stdout.write(`run ${result.runId}: ${result.name} (${result.status}, ${result.steps} steps${lineage})\n  ${result.artifact.kind}: ${result.artifact.path}\n  metrics: ${counts || 'none'}\n`);
  }
  return 0;
}
