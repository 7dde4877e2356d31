// Follows a run the supervisor has started until its engine exits: a progress bar
// on stderr, Ctrl-C to stop after the current step (twice to kill), then the
// outcome — the run id on stdout, or one JSON object with --json.
import type { Services } from '../../services/index';
import { flag, type Parsed } from '../args';
import { ProgressBar, type ProgressState } from '../progress-bar';

export async function followRun(services: Services, runId: number, args: Parsed): Promise<number> {
  const bar = new ProgressBar();
  const unsubscribe = services.hub.subscribe((event, payload) => {
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
    await services.supervisor.waitForExit(runId);
  } finally {
    process.off('SIGINT', onSigint);
    unsubscribe();
  }
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
}
