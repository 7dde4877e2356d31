// What the progress bar shows. onProgress events carry the full picture while a run
// trains under this server's supervisor; before the first one (a reload) and for a
// run another process trains (`loralab train` in a terminal), the stored curve and
// config give the step, the loss, the total, the speed and the time left.
import type { EventOf } from '../../../shared/ipc/contract';
import type { RunStatus } from '../../../shared/ipc/schemas';

export type ProgressEvent = EventOf<'onProgress'>;

export interface StepValue {
  step: number;
  value: number;
}

export interface ProgressView {
  step: number;
  totalSteps: number | null;
  /** 0..1, or null when the total is unknown. */
  fraction: number | null;
  loss: number | null;
  tokensPerSecond: number | null;
  etaSeconds: number | null;
  /** Queued or running with no step done yet: the engine is still loading the model and data. */
  starting: boolean;
}

/** `train.steps` of a stored config, when it is a positive integer. */
export function configuredSteps(config: Readonly<Record<string, unknown>> | undefined): number | null {
  const train = config?.train;
  if (typeof train !== 'object' || train === null) return null;
  const steps = (train as Record<string, unknown>).steps;
  return typeof steps === 'number' && Number.isInteger(steps) && steps > 0 ? steps : null;
}

/** Speed read off the stored curve: what the view falls back on without live events. */
export interface CurveSpeed {
  stepsPerSecond: number | null;
  tokensPerSecond: number | null;
}

/**
 * Steps per second over the last `window` points of a curve (wall times in ms), so the
 * ETA follows the current pace rather than the average since the start.
 */
export function curveSpeed(
  loss: readonly { step: number; wallTime: number }[],
  tokensPerSecond: readonly { value: number }[] = [],
  window = 20,
): CurveSpeed {
  const last = loss[loss.length - 1];
  const first = loss[Math.max(0, loss.length - 1 - window)];
  const seconds = last && first ? (last.wallTime - first.wallTime) / 1000 : 0;
  const steps = last && first ? last.step - first.step : 0;
  return {
    stepsPerSecond: seconds > 0 && steps > 0 ? steps / seconds : null,
    tokensPerSecond: tokensPerSecond[tokensPerSecond.length - 1]?.value ?? null,
  };
}

export function progressView(
  event: ProgressEvent | null,
  lastLoss: StepValue | undefined,
  config: Readonly<Record<string, unknown>> | undefined,
  status: RunStatus | undefined,
  curve: CurveSpeed = { stepsPerSecond: null, tokensPerSecond: null },
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
    tokensPerSecond: running ? (live ? event.tokensPerSecond : null) ?? curve.tokensPerSecond : null,
    etaSeconds: running ? ((live ? event.etaSeconds : null) ?? curveEta(step, totalSteps, curve)) : null,
    starting: status !== undefined && running && step === 0 && !live && lastLoss === undefined,
  };
}

function curveEta(step: number, totalSteps: number | null, curve: CurveSpeed): number | null {
  if (totalSteps === null || curve.stepsPerSecond === null) return null;
  return Math.max(0, totalSteps - step) / curve.stepsPerSecond;
}
