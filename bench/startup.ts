// Command start-up: how long `loralab --help`, `loralab ui --help`, `loralab inspect <preset>` and
// `loralab inspect` of a ChatGLM-6B-shaped sharded checkpoint (8 shards, ~12 GB of
// F16 written sparse, so it costs no disk) take as commands, wall clock from spawn
// to exit, with `node -e 0` as the floor no command can beat on this machine.
// Goals: --help < 0.2 s, inspect < 0.5 s. The CLI loads the engine, tfjs and the
// registry only in the commands that use them (src/main/cli/main.ts).
// Run: npm run build && npx tsx bench/startup.ts [--runs N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadAverage, machineLines, median, today, writeSection } from './report';
import { writeSparseCheckpoint } from './sparse-checkpoint';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'loralab.mjs');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;

interface Row {
  what: string;
  command: string;
  args: string[];
  goalMs: number | null;
  ms: number[];
  cpuMs: number[];
}

/** CPU time of waited-for children so far (Linux /proc/self/stat cutime + cstime, 10 ms ticks); null elsewhere. */
function childrenCpuMs(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10; // fields 16 and 17 of proc(5), after pid and comm
  } catch {
    return null;
  }
}

function time(row: Row | null, args: string[]): void {
  const cpu = childrenCpuMs();
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  const after = childrenCpuMs();
  row?.ms.push(ms);
  if (row && cpu !== null && after !== null) row.cpuMs.push(after - cpu);
}

function main(): void {
  const load = loadAverage();
  const tmp = mkdtempSync(path.join(tmpdir(), 'loralab-startup-'));
  try {
    const ckpt = writeSparseCheckpoint(ROOT, 'chatglm-6b', path.join(tmp, 'chatglm-6b'));
    const rows: Row[] = [
      { what: 'Node.js itself', command: 'node -e 0', args: ['-e', '0'], goalMs: null, ms: [], cpuMs: [] },
      { what: 'usage', command: 'loralab --help', args: [CLI, '--help'], goalMs: 200, ms: [], cpuMs: [] },
      { what: "a command's usage", command: 'loralab merge --help', args: [CLI, 'merge', '--help'], goalMs: 200, ms: [], cpuMs: [] },
      { what: "the browser server's usage", command: 'loralab ui --help', args: [CLI, 'ui', '--help'], goalMs: 200, ms: [], cpuMs: [] },
      { what: 'inspect a preset', command: 'loralab inspect chatglm-6b', args: [CLI, 'inspect', 'chatglm-6b', '--targets', 'query_key_value'], goalMs: 500, ms: [], cpuMs: [] },
      {
        what: `inspect a ChatGLM-6B checkpoint (8 shards, ${(ckpt.bytes / 1e9).toFixed(1)} GB, headers only)`,
        command: 'loralab inspect <dir> --json',
        args: [CLI, 'inspect', ckpt.dir, '--targets', 'query_key_value', '--json'],
        goalMs: 500,
        ms: [],
        cpuMs: [],
      },
    ];
    for (const row of rows) time(null, row.args); // warm the page cache once
    // Interleaved, so a burst of other work on the machine hits every row alike.
    for (let i = 0; i < RUNS; i++) for (const row of rows) time(row, row.args);

    const fmt = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
    const lines = [
      '## Start-up: command wall time',
      '',
      `Measured ${today()} by \`npx tsx bench/startup.ts\` (after \`npm run build\`): each command spawned ${RUNS} times, interleaved; wall clock from spawn to exit (median and fastest) and the CPU time the process used (user + system, median; 10 ms ticks).`,
      ...machineLines(load),
      '',
      '| what | command | wall, median | wall, fastest | CPU, median | goal (wall) |',
      '| --- | --- | ---: | ---: | ---: | --- |',
      ...rows.map((r) => {
        const m = median(r.ms);
        const goal = r.goalMs === null ? 'the floor' : `< ${fmt(r.goalMs)} ${m < r.goalMs ? 'met' : 'NOT met'}`;
        const cpu = r.cpuMs.length ? fmt(median(r.cpuMs)) : 'n/a';
        return `| ${r.what} | \`${r.command}\` | ${fmt(m)} | ${fmt(Math.min(...r.ms))} | ${cpu} | ${goal} |`;
      }),
      '',
      'The CLI is one bundle whose commands load on demand: `--help` evaluates only the argument parser and the usage text',
      '(`loralab ui` is the browser server\'s own bundle, dist/server.cjs, which loads services only once its arguments are good);',
      '`inspect` reads safetensors headers (never tensor data) and loads neither tfjs, the engine nor SQLite.',
      'On a busy machine (see the load average) every wall time rises by about the same scheduling delay as `node -e 0`; the CPU column and the difference to the `node -e 0` row are the command\'s own cost.',
    ];
    writeSection('startup', lines.join('\n'));
    console.log(lines.join('\n'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main();
