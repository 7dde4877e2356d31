// transformers' trainer_state.json (TrainerState.save_to_json) → LoRA Lab metric
// points. Trainer logs, per logging step, {loss, grad_norm, learning_rate, epoch,
// step}, per evaluation {eval_loss, eval_*, step}, and a final summary
// {train_loss, train_runtime, …} (transformers/trainer.py _maybe_log_save_evaluate,
// train). Python's json writes NaN/Infinity as bare tokens, which are read here too.
import { readFileSync } from 'node:fs';
import { METRIC } from '../../../shared/ipc/metric-names';
import type { RecordedMetricPoint } from '../../../shared/ipc/schemas';
import { LoraLabError } from '../../../shared/ipc/result';

export interface TrainerState {
  globalStep: number;
  maxSteps: number | null;
  points: Omit<RecordedMetricPoint, 'wallTime'>[];
  trainRuntime: number | null;
  /** Values that could not be recorded (NaN), named by entry. */
  warnings: string[];
}

/** Trainer's names → the engine's (src/shared/ipc/metric-names.ts). */
const SAME_STEP: Record<string, string> = {
  loss: METRIC.loss,
  grad_norm: METRIC.gradNorm,
  eval_loss: METRIC.evalLoss,
  eval_perplexity: METRIC.evalPerplexity,
};

/** JSON with Python's NaN / Infinity / -Infinity tokens (outside strings) as their numbers. */
export function parsePythonJson(text: string): unknown {
  const marked = text.replace(/"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g, (m) => (m.startsWith('"') ? m : `{"__py_number__":"${m}"}`));
  return JSON.parse(marked, (_key, value: unknown) => {
    const n = (value as { __py_number__?: string } | null)?.__py_number__;
    if (typeof n === 'string' && Object.keys(value as object).length === 1) return n === 'NaN' ? NaN : n.startsWith('-') ? -Infinity : Infinity;
    return value;
  });
}

/**
 * transformers 4.51 logs the learning rate a step was taken with; before it (PR
 * #36973) Trainer read it after lr_scheduler.step(), i.e. the next step's rate.
 */
export const LR_LOGGED_AS_APPLIED_SINCE = [4, 51, 0] as const;

/** Whether a transformers version (e.g. "4.46.3", "5.2.0.dev0") logged the next step's rate. */
export function logsNextLearningRate(version: string): boolean {
  const parts = version.split('.').map((p) => parseInt(p, 10));
  for (let i = 0; i < LR_LOGGED_AS_APPLIED_SINCE.length; i++) {
    const v = Number.isFinite(parts[i]) ? parts[i]! : 0;
    if (v !== LR_LOGGED_AS_APPLIED_SINCE[i]) return v < LR_LOGGED_AS_APPLIED_SINCE[i]!;
  }
  return false;
}

export function readTrainerState(file: string, options: { transformersVersion?: string | null } = {}): TrainerState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LoraLabError('NOT_FOUND', `${file}: cannot read it (${(err as NodeJS.ErrnoException).code})`);
  }
  let raw: unknown;
  try {
    raw = parsePythonJson(text);
  } catch (err) {
    throw new LoraLabError('VALIDATION', `${file}: not valid JSON (${(err as Error).message})`);
  }
  const bad = (field: string, what: string): never => {
    throw new LoraLabError('VALIDATION', `${file}: field "${field}" ${what}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad('(root)', 'must be an object (a Trainer trainer_state.json)');
  const state = raw as Record<string, unknown>;
  const history = state.log_history;
  if (!Array.isArray(history)) bad('log_history', 'is missing or not a list; is this a Hugging Face Trainer trainer_state.json?');
  const globalStep = state.global_step;
  if (!Number.isInteger(globalStep) || (globalStep as number) < 0) bad('global_step', `must be a non-negative integer, got ${JSON.stringify(globalStep)}`);
  const maxSteps = Number.isInteger(state.max_steps) && (state.max_steps as number) > 0 ? (state.max_steps as number) : null;

  const points: TrainerState['points'] = [];
  const warnings: string[] = [];
  const version = options.transformersVersion ?? null;
  const shiftLr = version !== null && logsNextLearningRate(version);
  if (version === null && (history as unknown[]).some((e) => typeof e === 'object' && e !== null && 'learning_rate' in e)) {
    warnings.push(`${file}: no job_versions.json beside it, so learning_rate is taken as transformers ≥ 4.51 logs it (the rate of the logged step); older Trainer logged the next step's rate`);
  }
  let trainRuntime: number | null = null;
  (history as unknown[]).forEach((entry, i) => {
    const at = `log_history[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) bad(at, 'must be an object');
    const e = entry as Record<string, unknown>;
    const step = e.step;
    if (!Number.isInteger(step) || (step as number) < 0) bad(`${at}.step`, `must be a non-negative integer, got ${JSON.stringify(step)}`);
    if ('train_runtime' in e) {
      // The summary Trainer logs once at the end; its train_loss is the run's mean, not a step's.
      if (typeof e.train_runtime === 'number') trainRuntime = e.train_runtime;
      return;
    }
    const add = (name: string, atStep: number, key: string) => {
      const value = e[key];
      if (typeof value !== 'number') bad(`${at}.${key}`, `must be a number, got ${JSON.stringify(value)}`);
      if (Number.isNaN(value)) warnings.push(`${at}.${key} is NaN (step ${step}); not recorded`);
      else points.push({ step: atStep, name, value: value as number });
    };
    for (const [key, name] of Object.entries(SAME_STEP)) if (key in e) add(name, step as number, key);
    // LoRA Lab's lr at step s is the rate step s was taken with. Trainer before 4.51
    // logged the NEXT step's rate, so then it moves one on, and the rate after the
    // last step (never used) is dropped.
    if ('learning_rate' in e) {
      if (!shiftLr) add(METRIC.lr, step as number, 'learning_rate');
      else if ((step as number) + 1 <= (globalStep as number)) add(METRIC.lr, (step as number) + 1, 'learning_rate');
    }
  });
  return { globalStep: globalStep as number, maxSteps, points, trainRuntime, warnings };
}
