// Stopping a run whose engine this process did not start (a `loralab train` in
// another terminal, another window): the registry records the engine's pid, and
// the engine treats SIGTERM as "stop after the current step, checkpoint, record
// stopped" (engine/process.ts). Before signalling, the pid is checked to still be
// an engine process, so a pid the OS has since reused is never signalled.
import { isEngineProcess } from '../engine/io/pid';

/** Sends `signal` to a run's engine; false when there is no such engine to signal. */
export function signalEngine(pid: number, signal: NodeJS.Signals): boolean {
  if (pid === process.pid || !isEngineProcess(pid)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
