// The fault suite at bench size, and the "reliability" section of BENCHMARKS.md:
// faults injected into real training (signals to engine and CLI, two resumes at
// once, a full disk), inputs fuzzed through the real parsers and the ui server,
// and a soak of short runs through one supervisor. Every registry used is checked
// with PRAGMA integrity_check. The test suite runs the same code smaller
// (test/fault/*.test.ts); this is the longer version.
//   npx tsx bench/reliability.ts [--fuzz 20000 --kill-runs 6 --soak-runs 20]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTokenizer } from '../src/main/engine/io/tokenizer/index';
import { fuzzAdapterFolders, fuzzDatasets, fuzzDir, fuzzRunConfigs, type FuzzStats } from '../test/fault/fuzz';
import { killAndResume, type KillStats } from '../test/fault/kill-resume';
import { soak, type SoakStats } from '../test/fault/soak';
import { cli, integrityCheck, peek, startCli, waitForRun, writeTinyConfig } from '../test/fault/tiny-run';
import { fuzzWebSocketFrames, type WsFuzzStats } from '../test/fault/ws-fuzz';
import { loadAverage, machineLines, today, writeSection } from './report';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

interface Faults {
  twoResumes: { trials: number; winners: number; losersTouchedRun: number };
  diskFull: { trials: number; cleanErrors: number; leftRunning: number; resumedIdentical: number; mounted: boolean };
}

async function twoResumesAtOnce(dir: string, trials: number): Promise<Faults['twoResumes']> {
  const out = { trials: 0, winners: 0, losersTouchedRun: 0 };
  for (let t = 0; t < trials; t++) {
    const registry = join(dir, `two-${t}.sqlite`);
    const train = startCli(['train', writeTinyConfig(dir, 20, 2, `two-${t}`), '--json'], registry);
    const seen = await waitForRun(registry, 1, 'a checkpoint', (s) => (s.status === 'running' && s.checkpoint >= 2) || !['queued', 'running'].includes(s.status));
    if (seen.status !== 'running') {
      const end = await train.exit;
      throw new Error(`the run to resume twice ended ${seen.status} before it could be stopped: ${end.stderr.slice(-500)}`);
    }
    train.child.kill('SIGTERM');
    await train.exit;
    await waitForRun(registry, 1, 'the stop', (s) => s.status === 'stopped');
    const results = await Promise.all([startCli(['resume', '1', '--json'], registry).exit, startCli(['resume', '1', '--json'], registry).exit]);
    out.trials++;
    const winners = results.filter((r) => r.code === 0).length;
    if (winners === 1) out.winners++;
    const final = peek(registry, 1);
    if (final?.status !== 'completed' || final.error !== null) out.losersTouchedRun++;
  }
  return out;
}

/** A training run whose registry and run folder sit on a 8 MB tmpfs that fills up after the first checkpoints. */
async function diskFull(dir: string, trials: number): Promise<Faults['diskFull']> {
  const out = { trials: 0, cleanErrors: 0, leftRunning: 0, resumedIdentical: 0, mounted: true };
  const straight = join(dir, 'disk-straight.sqlite');
  const config = writeTinyConfig(dir, 12, 1, 'disk');
  cli(['train', config], straight);
  for (let t = 0; t < trials; t++) {
    const mnt = mkdtempSync(join(tmpdir(), 'loralab-disk-'));
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8388608', 'tmpfs', mnt]).status !== 0) {
      out.mounted = false;
      rmSync(mnt, { recursive: true, force: true });
      return out;
    }
    try {
      const registry = join(mnt, 'registry.sqlite');
      cli(['runs', 'list'], registry);
      const train = startCli(['train', config, '--json'], registry);
      await waitForRun(registry, 1, 'checkpoints', (s) => s.checkpoint >= 2 + t);
      const st = statfsSync(mnt);
      const filler = join(mnt, 'filler');
      writeFileSync(filler, Buffer.alloc(Math.max(0, Number(st.bavail) * Number(st.bsize) - 16 * 1024)));
      const r = await train.exit;
      out.trials++;
      if (r.code !== 0 && !/^\s+at .+:\d+:\d+\)?$/m.test(r.stderr)) out.cleanErrors++;
      const listed = JSON.parse(cli(['runs', 'list', '--json'], registry).stdout).runs[0] as { status: string };
      if (listed.status === 'running' || listed.status === 'queued') out.leftRunning++;
      rmSync(filler);
      if (integrityCheck(registry) !== 'ok') throw new Error('corrupt registry after a full disk');
      const resumed = cli(['resume', '1', '--json'], registry);
      const { adapterBytes } = await import('../test/fault/tiny-run');
      if (resumed.status === 0 && adapterBytes(registry, 1).equals(adapterBytes(straight, 1))) out.resumedIdentical++;
    } finally {
      spawnSync('umount', ['-l', mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
  }
  return out;
}

function countRegistries(dir: string): { checked: number; corrupt: number } {
  let checked = 0;
  let corrupt = 0;
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.sqlite')) continue;
    checked++;
    if (integrityCheck(join(dir, f)) !== 'ok') corrupt++;
  }
  return { checked, corrupt };
}

async function main(): Promise<void> {
  const load = loadAverage();
  const started = Date.now();
  const fuzzCases = arg('fuzz', 10_000);
  const scratch = fuzzDir();
  const dir = mkdtempSync(join(tmpdir(), 'loralab-reliability-'));
  try {
    const tokenizer = await loadTokenizer(join(__dirname, '..', 'resources/models/lab-tiny-llama'));
    const fuzz: (FuzzStats | WsFuzzStats)[] = [
      fuzzRunConfigs(fuzzCases, 101, scratch.dir),
      fuzzDatasets(fuzzCases, 102, scratch.dir, tokenizer),
      fuzzAdapterFolders(fuzzCases, 103, scratch.dir),
      await fuzzWebSocketFrames(fuzzCases, 104, scratch.dir),
    ];
    for (const f of fuzz) console.error(`${f.name}: ${f.cases} cases, ${f.crashes.length} crashes, ${f.hangs} hangs, ${f.seconds.toFixed(1)} s`);
    const kill: KillStats = await killAndResume({ runs: arg('kill-runs', 5), steps: 10, seed: 105, dir, maxFaultsPerRun: 3 });
    console.error(`kill/resume: ${kill.runs} runs, ${kill.faults} faults, ${kill.lostRuns} lost, problems: ${kill.problems.join('; ') || 'none'}`);
    const two = await twoResumesAtOnce(dir, arg('two-resumes', 2));
    const disk = await diskFull(dir, arg('disk-full', 2));
    const soaked: SoakStats = await soak({ runs: arg('soak-runs', 12), steps: 2, dir });
    const registries = countRegistries(dir);

    const crashes = fuzz.reduce((n, f) => n + f.crashes.length, 0);
    const hangs = fuzz.reduce((n, f) => n + f.hangs, 0);
    const lost = kill.lostRuns + soaked.lostRuns + (two.trials - two.winners) + disk.trials - disk.resumedIdentical;
    const corrupt = registries.corrupt + kill.corruptRegistries + soaked.corruptRegistries;
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
    const faultRows = Object.entries(kill.byFault).map(([k, v]) => `${k} ×${v}`).join(', ');
    const body = [
      '## Reliability: faults injected, inputs fuzzed, runs soaked',
      '',
      `Run: \`npx tsx bench/reliability.ts\` (${today()}, ${((Date.now() - started) / 60_000).toFixed(1)} min). Real processes, real signals, a real`,
      'file system and SQLite; the tiny Llama fixture (test/fixtures/models/tiny-llama) for every training run.',
      'The same code runs smaller in `npm test` (test/fault/).',
      ...machineLines(load),
      '',
      '| | count | result |',
      '|---|---:|---|',
      `| Signals at random steps (${faultRows}) | ${kill.faults} faults over ${kill.runs} runs | ${kill.runs - kill.lostRuns} of ${kill.runs} resumed to an adapter byte-identical to an uninterrupted run's; ${kill.reportedRunningWithoutEngine} reported running without an engine |`,
      `| Two \`loralab resume\` of one run at once | ${two.trials} | ${two.winners} with exactly one winner; the loser changed the run ${two.losersTouchedRun} times |`,
      disk.mounted
        ? `| Disk full (8 MB tmpfs) during checkpoints and SQLite writes | ${disk.trials} | ${disk.cleanErrors} clean errors (no stack trace), ${disk.leftRunning} left running, ${disk.resumedIdentical} resumed byte-identically after freeing space |`
        : '| Disk full | 0 | not run: this machine does not allow mounting a tmpfs |',
      ...fuzz.map((f) => `| Fuzz: ${f.name} | ${f.cases.toLocaleString('en-US')} cases | ${f.crashes.length} crashes, ${f.hangs} hangs (${f.seconds.toFixed(1)} s) |`),
      `| Soak: short runs back to back through one supervisor | ${soaked.runs} runs | ${soaked.completed} completed; RSS ${mib(soaked.rss[0] ?? 0)} → ${mib(soaked.rss.at(-1) ?? 0)} (growth after warm-up ${mib(soaked.rssGrowth)}); ${soaked.leakedProcesses} processes left behind |`,
      '',
      `Totals: **${lost} lost runs**, **${corrupt} corrupt registries** (PRAGMA integrity_check on ${registries.checked} registries), **${crashes} crashes**, ${hangs} hangs.`,
    ].join('\n');
    writeSection('reliability', body);
    console.log(body);
    if (lost || corrupt || crashes || hangs || kill.problems.length) process.exitCode = 1;
  } finally {
    scratch.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
