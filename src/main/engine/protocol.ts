// Messages between the run supervisor and an engine process (Node IPC channel of
// child_process.fork). The engine also writes everything durable to the registry
// itself, so these messages are for live progress only: losing one loses nothing.
import type { BackendName } from '../../shared/ipc/schemas';

/** Parent -> engine: the one job an engine process runs. */
export interface RunJob {
  type: 'run';
  runId: number;
  registryPath: string;
  /** 'auto' or a backend name; overrides LORALAB_BACKEND when set. */
  backend?: string;
  /** The run's folder for checkpoints and the adapter. */
  runDir: string;
  /** A checkpoint folder to continue from (resume), or null for a fresh start. */
  resumeFrom: string | null;
  /** A PEFT adapter folder the run starts from (init_from, resolved), or null. */
  initFrom: string | null;
}

/** Parent -> engine: finish the current step, record the run as stopped, exit. */
export interface StopRequest {
  type: 'stop';
}

export type ToEngine = RunJob | StopRequest;

export type FromEngine =
  | { type: 'started'; runId: number; backend: BackendName; pid: number }
  | {
      type: 'progress';
      runId: number;
      step: number;
      totalSteps: number;
      loss: number;
      tokensPerSecond: number | null;
      etaSeconds: number | null;
    }
  | { type: 'finished'; runId: number; status: 'completed' | 'failed' | 'stopped'; error: string | null };
