// One job (merge, generate) as the page sees it, folded from its events. Events
// can arrive before the start request has answered with the job id, so the page
// keeps them until it knows which are its own (see useJob).
import type { EventOf } from '../../../shared/ipc/contract';

export type JobEvent =
  | { name: 'onJobProgress'; payload: EventOf<'onJobProgress'> }
  | { name: 'onGenerateToken'; payload: EventOf<'onGenerateToken'> }
  | { name: 'onJobDone'; payload: EventOf<'onJobDone'> };

export interface JobView {
  jobId: string | null;
  phase: 'idle' | 'starting' | 'running' | 'done' | 'failed';
  fraction: number | null;
  message: string;
  /** Streamed text (generate). */
  text: string;
  result: EventOf<'onJobDone'>['result'];
  error: string | null;
}

export const IDLE: JobView = { jobId: null, phase: 'idle', fraction: null, message: '', text: '', result: null, error: null };

export function applyJobEvent(view: JobView, event: JobEvent): JobView {
  if (view.jobId === null || event.payload.jobId !== view.jobId || view.phase === 'done' || view.phase === 'failed') return view;
  switch (event.name) {
    case 'onJobProgress':
      return { ...view, phase: 'running', fraction: event.payload.fraction, message: event.payload.message };
    case 'onGenerateToken':
      return { ...view, phase: 'running', text: view.text + event.payload.text };
    case 'onJobDone': {
      const { ok, result, error } = event.payload;
      // The final text is the engine's own decode; streamed pieces may split a multi-byte character.
      const text = result && 'text' in result && typeof result.text === 'string' ? result.text : view.text;
      return { ...view, phase: ok ? 'done' : 'failed', fraction: ok ? 1 : view.fraction, result, error, text };
    }
  }
}
