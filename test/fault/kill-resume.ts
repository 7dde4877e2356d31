// Faults injected into real training: `loralab train` on the tiny Llama, and at a
// random step a signal to the engine, the CLI that supervises it, or both; then
// `loralab resume` (itself sometimes hit again), until the run completes. After
// every fault no run may be reported running without a live engine and the
// registry must pass PRAGMA integrity_check; at the end the adapter must equal an
// uninterrupted run's byte for byte. Seeded, so a failing sequence repeats.
import { join } from 'node:path';
import { isProcessAlive } from '../../src/main/engine/io/pid';
import { createRng } from '../../src/main/engine/train/rng';
import { adapterBytes, cli, integrityCheck, peek, startCli, waitForDeath, waitForRun, writeTinyConfig, type CliRun } from './tiny-run';

export const FAULTS = ['engine SIGKILL', 'engine SIGTERM', 'CLI SIGKILL', 'CLI SIGTERM', 'CLI SIGHUP', 'CLI and engine SIGKILL'] as const;
export type Fault = (typeof FAULTS)[number];

export interface KillStats {
  runs: number;
  faults: number;
  byFault: Partial<Record<Fault, number>>;
  lostRuns: number;
  corruptRegistries: number;
  reportedRunningWithoutEngine: number;
  mismatchedAdapters: number;
  problems: string[];
  seconds: number;
}

/** The run as the registry holds it, or undefined before the CLI has created the file. */
function safePeek(registry: string): ReturnType<typeof peek> {
  try {
    return peek(registry, 1);
  } catch {
    return undefined;
  }
}

export async function killAndResume(opts: { runs: number; steps: number; seed: number; dir: string; maxFaultsPerRun?: number }): Promise<KillStats> {
  const started = Date.now();
  const stats: KillStats = { runs: 0, faults: 0, byFault: {}, lostRuns: 0, corruptRegistries: 0, reportedRunningWithoutEngine: 0, mismatchedAdapters: 0, problems: [], seconds: 0 };
  const rng = createRng(opts.seed);
  const config = writeTinyConfig(opts.dir, opts.steps, 2, 'kill');
  const straight = join(opts.dir, 'straight.sqlite');
  const s = cli(['train', config], straight);
  if (s.status !== 0) throw new Error(`the uninterrupted run failed: ${s.stderr}`);
  const reference = adapterBytes(straight, 1);

  for (let r = 0; r < opts.runs; r++) {
    stats.runs++;
    const registry = join(opts.dir, `run-${r}.sqlite`);
    let proc: CliRun = startCli(['train', config, '--json'], registry);
    let faults = 0;
    let ok = false;
    for (let round = 0; round < 10; round++) {
      const state0 = safePeek(registry);
      const from = Math.max(2, state0?.lastStep ?? 0);
      const faultNow = faults < (opts.maxFaultsPerRun ?? 2) && from < opts.steps - 1 && (faults === 0 || rng.next() < 0.5);
      if (!faultNow) {
        const end = await proc.exit;
        const final = safePeek(registry);
        if (final?.status === 'completed') {
          ok = true;
          break;
        }
        stats.problems.push(`run ${r}: ended ${final?.status ?? 'missing'} without a fault (${end.stderr.slice(-300)})`);
        break;
      }
      const at = from + rng.int(Math.max(1, opts.steps - 1 - from));
      let running;
      try {
        running = await waitForRun(registry, 1, `step ${at}`, (x) => (x.status === 'running' && x.pid !== null && x.lastStep >= at && x.checkpoint >= 2) || x.status === 'completed', 120_000);
      } catch (err) {
        stats.problems.push(`run ${r}: ${(err as Error).message}`);
        break;
      }
      if (running.status === 'completed') {
        await proc.exit;
        ok = true;
        break;
      }
      const fault = FAULTS[rng.int(FAULTS.length)]!;
      const engine = running.pid!;
      const cliPid = proc.child.pid!;
      if (fault.startsWith('engine') || fault.startsWith('CLI and engine')) process.kill(engine, fault.endsWith('SIGTERM') ? 'SIGTERM' : 'SIGKILL');
      if (fault.startsWith('CLI')) process.kill(cliPid, fault.split(' ').at(-1) as NodeJS.Signals);
      faults++;
      stats.faults++;
      stats.byFault[fault] = (stats.byFault[fault] ?? 0) + 1;
      await proc.exit;
      await waitForDeath(engine, 60_000);

      // What every reader must see now: nothing running without an engine, an intact registry.
      const listed = JSON.parse(cli(['runs', 'list', '--json'], registry).stdout || '{"runs":[]}').runs as { status: string }[];
      if (listed.some((x) => x.status === 'running' || x.status === 'queued') && !isProcessAlive(engine)) {
        stats.reportedRunningWithoutEngine++;
        stats.problems.push(`run ${r}: reported ${listed[0]?.status} after "${fault}" with its engine gone`);
      }
      if (integrityCheck(registry) !== 'ok') stats.corruptRegistries++;
      if (peek(registry, 1)?.status === 'completed') {
        ok = true;
        break;
      }
      proc = startCli(['resume', '1', '--json'], registry);
    }
    if (!ok) {
      stats.lostRuns++;
      continue;
    }
    if (integrityCheck(registry) !== 'ok') stats.corruptRegistries++;
    if (!adapterBytes(registry, 1).equals(reference)) {
      stats.mismatchedAdapters++;
      stats.problems.push(`run ${r}: the final adapter differs from the uninterrupted run's`);
    }
  }
  stats.seconds = (Date.now() - started) / 1000;
  return stats;
}
