// Whether a process id belongs to a live process (signal 0 probes without
// sending anything; EPERM means it exists but belongs to someone else).
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
