// What the progress bar shows. onProgress events carry the full picture while a run
// trains; before the first one (a reload, a finished run) the stored curve and config
// still give the step, the loss and the total.
import type { EventOf } from '../../../shared/ipc/contract';
import type { RunStatus } from '../../../shared/ipc/schemas';
import type { StepValue } from '../../components/chart-math';

export type ProgressEvent = EventOf<'onProgress'>;

export interface ProgressView {
  step: number;
  totalSteps: number | null;
  /** 0..1, or null when the total is unknown. */
  fraction: number | null;
  loss: number | null;
  tokensPerSecond: number | null;
  etaSeconds: number | null;
}

/** `train.steps` of a stored config, when it is a positive integer. */
export function configuredSteps(config: Readonly<Record<string, unknown>> | undefined): number | null {
  const train = config?.train;
  if (typeof train !== 'object' || train === null) return null;
  const steps = (train as Record<string, unknown>).steps;
  return typeof steps === 'number' && Number.isInteger(steps) && steps > 0 ? steps : null;
}

export function progressView(
  event: ProgressEvent | null,
  lastLoss: StepValue | undefined,
  config: Readonly<Record<string, unknown>> | undefined,
  status: RunStatus | undefined,
): ProgressView {
  const live = event !== null && event.step >= (lastLoss?.step ?? -1);
  const step = live ? event.step : (lastLoss?.step ?? 0);
  const totalSteps = (event && event.totalSteps > 0 ? event.totalSteps : null) ?? configuredSteps(config);
  const running = status === undefined || status === 'running' || status === 'queued';
  let fraction = totalSteps ? Math.min(1, Math.max(0, step / totalSteps)) : null;
  if (status === 'completed') fraction = 1;
  return {
    step,
    totalSteps,
    fraction,
    loss: live ? event.loss : (lastLoss?.value ?? null),
    // Speed and time left only mean something while the run trains.
    tokensPerSecond: running ? (event?.tokensPerSecond ?? null) : null,
    etaSeconds: running ? (event?.etaSeconds ?? null) : null,
  };
}
