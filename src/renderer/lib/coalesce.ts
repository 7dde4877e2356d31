// Refreshes are triggered by timers, pushed events and reconnects, often in bursts.
// Coalescing keeps at most one call in flight, so responses cannot arrive out of order,
// and a trigger during a call earns exactly one more call after it, so the last trigger
// is always followed by a fresh read.

export function coalesce(task: () => Promise<unknown>): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    void task()
      .catch(() => undefined) // the task reports its own errors
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          run();
        }
      });
  };
  return run;
}
