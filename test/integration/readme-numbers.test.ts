// README's numbers table is what scripts/readme-numbers.ts makes of BENCHMARKS.md:
// re-running a benchmark without `npm run readme:numbers` fails here, so the
// README cannot drift from what the benchmarks measured. Also: the table follows
// the sections' figures, and a missing or changed section gives "not measured"
// rows instead of an error.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { BENCHMARKS_FILE, README_FILE, ROWS, numbersTable, parseSections, withNumbers } from '../../scripts/readme-numbers';

const ROOT = path.join(__dirname, '..', '..');
const benchmarks = readFileSync(BENCHMARKS_FILE, 'utf8');
const readme = readFileSync(README_FILE, 'utf8');

test("README.md's numbers table is the one BENCHMARKS.md gives (npm run readme:numbers rewrites it)", () => {
  const expected = withNumbers(readme, numbersTable(benchmarks));
  assert.equal(readme, expected, 'README.md is stale: run `npm run readme:numbers` after re-running a benchmark');
});

test('--check exits 0 on the committed files and 1 on a stale table', () => {
  const ok = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/readme-numbers.ts', '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  // The same comparison --check makes, on a README whose table lost a row.
  const stale = readme.replace(/\n\| forward pass[^\n]*/, '');
  assert.notEqual(stale, readme, 'README.md has no forward-pass row to drop');
  assert.notEqual(withNumbers(stale, numbersTable(benchmarks)), stale);
});

test('every row reads its figures from a section BENCHMARKS.md has', () => {
  const sections = parseSections(benchmarks);
  const table = numbersTable(benchmarks);
  for (const r of ROWS) {
    assert.ok(sections.has(r.section), `BENCHMARKS.md has no bench:${r.section} section`);
    const line = table.split('\n').find((l) => l.startsWith(`| ${r.what} |`));
    assert.ok(line && !line.includes('not measured'), `row "${r.what}": ${line}`);
  }
});

test("a figure changed in a section changes the README row; a missing section or line says 'not measured'", () => {
  const sections = parseSections(benchmarks);
  const train = sections.get('train');
  assert.ok(train, 'BENCHMARKS.md has no bench:train section');
  const ratio = /Ratio tfjs \/ PyTorch: \*\*([\d.]+)×\*\*/.exec(train)?.[1];
  assert.ok(ratio, 'bench:train has no ratio line');
  const changed = benchmarks.replace(`Ratio tfjs / PyTorch: **${ratio}×**`, 'Ratio tfjs / PyTorch: **0.987×**');
  assert.match(numbersTable(changed), /\| LoRA training step[^\n]*\*\*0\.99×\*\*/);

  const withoutGenerate = benchmarks.replace(/<!-- bench:generate -->[\s\S]*?<!-- \/bench:generate -->/, '');
  assert.match(numbersTable(withoutGenerate), /\| greedy generation[^|]*\| not measured \(BENCHMARKS\.md has no bench:generate section\) \| — \|/);

  const noRatio = benchmarks.replace(/Ratio tfjs \/ PyTorch: \*\*[\d.]+×\*\*/g, 'Ratio: see above');
  assert.match(numbersTable(noRatio), /\| LoRA training step[^|]*\| not measured \(bench:train: no "Ratio tfjs \/ PyTorch" line\)/);

  assert.match(numbersTable(''), /not measured[\s\S]*not measured/);
});

test('a README without the markers is refused, naming them', () => {
  assert.throws(() => withNumbers('# no table here\n', '| a |'), /README\.md: expected a <!-- numbers --> … <!-- \/numbers --> region/);
});
