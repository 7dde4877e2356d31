// `loralab train <config.(json|yaml)> [--json]`: records a run in the registry,
// trains it in an engine process through the same supervisor the app uses, shows
// a progress bar on stderr and prints the run id (or one JSON object).
import { createServices } from '../../services/index';
import { readRunConfigFile } from '../../services/config-file';
import { flag, str, UsageError, type Parsed } from '../args';
import { ProgressBar, type ProgressState } from '../progress-bar';

export async function train(args: Parsed): Promise<number> {
  const file = args.positionals[0];
  if (!file) throw new UsageError('train needs a config file: loralab train <config.(json|yaml)>');
  const { config, baseDir } = readRunConfigFile(file);
  const services = createServices({ registryPath: str(args, 'registry'), backend: str(args, 'backend'), baseDir });
  const bar = new ProgressBar();
  let runId = -1;
  services.hub.subscribe((event, payload) => {
    if (event === 'onProgress' && (payload as { runId: number }).runId === runId) bar.update(payload as ProgressState);
  });
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    process.stderr.write(interrupts === 1 ? '\nstopping after the current step (Ctrl-C again to kill)\n' : '\nkilling\n');
    if (interrupts === 1) services.supervisor.stop(runId);
    else {
      const pid = services.supervisor.pidOf(runId);
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
    }
  };
  process.on('SIGINT', onSigint);
  try {
    ({ runId } = services.runs.start(config, baseDir));
    process.stderr.write(`run ${runId}: ${config.name} (${config.method}, ${config.model})\n`);
    await services.supervisor.waitForExit(runId);
    bar.done();
    const run = services.runs.get(runId);
    if (flag(args, 'json')) {
      const { config: _config, ...summary } = run;
      process.stdout.write(JSON.stringify({ runId, ...summary }) + '\n');
    } else {
      const loss = run.lastLoss === null ? '' : `, final loss ${run.lastLoss.toFixed(4)}`;
      process.stdout.write(`${runId}\n`);
      process.stderr.write(`run ${runId} ${run.status}${loss}${run.error ? `: ${run.error}` : ''}\n`);
    }
    return run.status === 'completed' ? 0 : 1;
  } finally {
    process.off('SIGINT', onSigint);
    await services.close();
  }
}
