// Stopping a run whose engine this process did not start (a `loralab train` in
// another terminal, another window): the registry records the engine's pid, and
// the engine treats SIGTERM as "stop after the current step, checkpoint, record
// stopped" (engine/process.ts). Before signalling, the pid is checked to still be
// an engine process, so a pid the OS has since reused is never signalled.
import { readFileSync } from 'node:fs';
import { isProcessAlive } from '../engine/io/pid';

/** Whether `pid` is alive and, where the OS lets us tell (Linux /proc), running LoRA Lab's engine. */
export function isEngineProcess(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isProcessAlive(pid)) return false;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return true; // no /proc (macOS, Windows): the live pid the engine recorded is all there is
  }
  return /engine\.(c?js|ts)\b/.test(cmdline.split('\0').join(' '));
}

/** Sends `signal` to a run's engine; false when there is no such engine to signal. */
export function signalEngine(pid: number, signal: NodeJS.Signals): boolean {
  if (!isEngineProcess(pid)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
