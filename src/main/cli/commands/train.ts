// `loralab train <config.(json|yaml)> [--json]`: records a run in the registry,
// trains it in an engine process through the same supervisor the app uses, shows
// a progress bar on stderr and prints the run id (or one JSON object).
import { createServices } from '../../services/index';
import { readRunConfigFile } from '../../services/config-file';
import { str, UsageError, type Parsed } from '../args';
import { followRun } from './follow-run';

export async function train(args: Parsed): Promise<number> {
  const file = args.positionals[0];
  if (!file) throw new UsageError('train needs a config file: loralab train <config.(json|yaml)>');
  const { config, baseDir } = readRunConfigFile(file);
  const services = createServices({ registryPath: str(args, 'registry'), backend: str(args, 'backend'), baseDir });
  try {
    const { runId } = services.runs.start(config, baseDir);
    process.stderr.write(`run ${runId}: ${config.name} (${config.method}, ${config.model})\n`);
    return await followRun(services, runId, args);
  } finally {
    await services.close();
  }
}
