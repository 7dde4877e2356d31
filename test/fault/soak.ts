// A bounded soak: many short LoRA runs back to back through one set of services
// (the supervisor the app and `loralab ui` use), each a real engine process. It
// records this process's memory after each run and, at the end, the engine
// processes still alive (children of this process running the engine entry):
// a leak shows as memory that keeps growing or processes left behind.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServices } from '../../src/main/services/index';
import { runConfigSchema } from '../../src/shared/config/run-config';
import { integrityCheck, writeTinyConfig } from './tiny-run';

export interface SoakStats {
  runs: number;
  completed: number;
  lostRuns: number;
  /** Resident set size after each run (bytes). */
  rss: number[];
  /** Growth from the end of the first quarter of runs to the end (bytes); the first runs warm caches. */
  rssGrowth: number;
  leakedProcesses: number;
  corruptRegistries: number;
  seconds: number;
}

/** Live processes whose parent is this one (Linux /proc); [] where there is no /proc. */
export function childProcesses(): number[] {
  const kids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return kids;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Fields after the command name (which may hold spaces) start after the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid && fields[0] !== 'Z') kids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return kids;
}

export async function soak(opts: { runs: number; steps: number; dir: string }): Promise<SoakStats> {
  const started = Date.now();
  const registry = join(opts.dir, 'soak.sqlite');
  const config = runConfigSchema.parse(JSON.parse(readFileSync(writeTinyConfig(opts.dir, opts.steps, opts.steps, 'soak'), 'utf8')));
  const stats: SoakStats = { runs: 0, completed: 0, lostRuns: 0, rss: [], rssGrowth: 0, leakedProcesses: 0, corruptRegistries: 0, seconds: 0 };
  const before = new Set(childProcesses());
  const s = createServices({ registryPath: registry, backend: 'wasm' });
  try {
    for (let i = 0; i < opts.runs; i++) {
      const { runId } = s.runs.start({ ...config, name: `soak-${i}` }, '/');
      await s.supervisor.waitForExit(runId);
      stats.runs++;
      if (s.runs.get(runId).status === 'completed') stats.completed++;
      else stats.lostRuns++;
      global.gc?.();
      stats.rss.push(process.memoryUsage().rss);
    }
  } finally {
    await s.close();
  }
  // An engine exits after its outcome is recorded; give the last one a moment to be reaped.
  await new Promise((r) => setTimeout(r, 500));
  stats.leakedProcesses = childProcesses().filter((p) => !before.has(p)).length;
  const warm = stats.rss[Math.max(0, Math.floor(stats.rss.length / 4) - 1)] ?? 0;
  stats.rssGrowth = (stats.rss.at(-1) ?? 0) - warm;
  if (integrityCheck(registry) !== 'ok') stats.corruptRegistries++;
  stats.seconds = (Date.now() - started) / 1000;
  return stats;
}
