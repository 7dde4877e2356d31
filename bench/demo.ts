// Times `npm run demo` (loralab demo on the bundled model and data) end to end on
// a fresh registry, and writes the wall time, the eval-loss drop and the samples
// into BENCHMARKS.md. The targets: under 3 minutes here, ≥ 20% lower loss.
// Run: npx tsx bench/demo.ts   (or npm run bench:demo)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAverage, machineLines, today, writeSection } from './report';

const root = join(__dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'loralab-bench-demo-'));
try {
  const load = loadAverage();
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(root, 'bin', 'loralab.mjs'), 'demo', '--json', '--registry', join(dir, 'registry.sqlite')], {
    cwd: root,
    encoding: 'utf8',
  });
  const seconds = (Date.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`demo failed:\n${r.stderr}`);
  const out = JSON.parse(r.stdout);
  const drop = 100 * (1 - out.evalLossAfter / out.evalLossBefore);
  const body = [
    '## `npm run demo`: LoRA on the bundled model, end to end',
    '',
    'The whole demo as a newcomer runs it, on a fresh registry: samples before, LoRA training (r = 8 on every linear layer, 120 steps of 16 chat examples) through the supervisor and an engine process, eval before/after, samples after, merge and verification.',
    '',
    `- Date: ${today()}`,
    '- Command: `npx tsx bench/demo.ts` (or `npm run bench:demo`)',
    ...machineLines(load),
    '',
    '| | |',
    '|---|---|',
    `| wall time (target < 180 s) | **${seconds.toFixed(0)} s** |`,
    `| held-out eval loss, base → LoRA (target ≥ 20% lower) | ${out.evalLossBefore.toFixed(4)} → ${out.evalLossAfter.toFixed(4)} (**${drop.toFixed(1)}% lower**) |`,
    `| adapter parameters | ${out.adapterParams.toLocaleString('en-US')} |`,
    `| merge check: largest logit difference | ${out.verify.maxAbsLogitDiff.toExponential(2)} |`,
    `| sample before | ${out.before.map((s: string) => JSON.stringify(s)).join(', ')} |`,
    `| sample after | ${out.after.map((s: string) => JSON.stringify(s)).join(', ')} |`,
  ].join('\n');
  writeSection('demo', body);
  console.log(body);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
