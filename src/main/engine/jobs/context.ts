// What every engine job gets from the process entry (engine/process.ts): a way to
// message the parent, whether a stop was asked for, and a yield that lets IPC
// messages and signals in between synchronous tfjs kernels.
import type { FromEngine } from '../protocol';

export interface JobContext {
  send(msg: FromEngine): void;
  shouldStop(): boolean;
  /** Yields a macrotask at most every 50 ms (a stop request can only arrive then). */
  yieldToEventLoop(): Promise<void>;
}
