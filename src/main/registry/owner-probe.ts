// How the registry's readers tell whether a run's owner is alive: whether a
// process id belongs to a live process (signal 0 probes without sending anything;
// EPERM means it exists but belongs to someone else), and whether it is LoRA Lab's
// engine. A pid outlives its process in the registry
// (SIGKILL, a power cut), and the OS reuses pids, so "alive" alone can name a
// stranger; where the OS lets us read a command line (Linux /proc), the engine is
// the process running the engine entry (dist/engine.cjs, or engine.ts from source).
import { readFileSync } from 'node:fs';

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process's command line with spaces between arguments, or null where the OS does not say. */
export function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return null;
  }
}

/** Whether `pid` is alive and, where the OS lets us tell, running LoRA Lab's engine. */
export function isEngineProcess(pid: number): boolean {
  if (!isProcessAlive(pid)) return false;
  const cmdline = commandLine(pid);
  // No /proc (macOS, Windows) or not ours to read: the live pid is all there is.
  if (cmdline === null) return true;
  return /engine\.(c?js|ts)\b/.test(cmdline);
}

/** The operating system's answer, used by every registry unless a test gives another. */
export const OS_OWNER_PROBE = { isEngine: isEngineProcess, isAlive: isProcessAlive };
