// Learning-rate schedules as pure functions of the step (so a resumed run needs
// only the step to continue them): linear warmup from 0, then constant, linear
// decay to 0, or half-cosine decay to 0 — the shapes of transformers'
// get_{constant,linear,cosine}_schedule_with_warmup.

export type ScheduleName = 'constant' | 'linear' | 'cosine';

export interface ScheduleConfig {
  lr: number;
  schedule: ScheduleName;
  warmupSteps: number;
  totalSteps: number;
}

/** The learning rate for optimizer step `step` (1-based: the first update uses step 1). */
export function learningRate(step: number, c: ScheduleConfig): number {
  // transformers evaluates its lambda at the 0-based count of updates already made.
  const done = step - 1;
  if (done < c.warmupSteps) return (c.lr * done) / Math.max(1, c.warmupSteps);
  if (c.schedule === 'constant') return c.lr;
  const decaySteps = Math.max(1, c.totalSteps - c.warmupSteps);
  const progress = Math.min(1, (done - c.warmupSteps) / decaySteps);
  if (c.schedule === 'linear') return c.lr * Math.max(0, 1 - progress);
  return c.lr * 0.5 * (1 + Math.cos(Math.PI * progress));
}
