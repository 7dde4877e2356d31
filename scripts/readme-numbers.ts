// README's numbers table, rebuilt from BENCHMARKS.md so the two cannot drift: each
// benchmark writes its own section of BENCHMARKS.md (<!-- bench:NAME --> …
// <!-- /bench:NAME -->, bench/report.ts writeSection), and this script reads the
// headline figures out of those sections and rewrites the table between
// <!-- numbers --> and <!-- /numbers --> in README.md. A section that is missing,
// or that no longer has the line a row reads, makes that row say "not measured"
// (with what was looked for) instead of failing.
// Run: npx tsx scripts/readme-numbers.ts           (or: npm run readme:numbers) rewrites README.md
//      npx tsx scripts/readme-numbers.ts --check   exits 1 when README.md's table is not what BENCHMARKS.md gives
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
export const README_FILE = path.join(ROOT, 'README.md');
export const BENCHMARKS_FILE = path.join(ROOT, 'BENCHMARKS.md');
const START = '<!-- numbers -->';
const END = '<!-- /numbers -->';

/** The body of every `<!-- bench:NAME -->` section, by NAME. */
export function parseSections(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /<!-- bench:([\w-]+) -->\n?([\s\S]*?)<!-- \/bench:\1 -->/g;
  for (const m of markdown.matchAll(re)) out.set(m[1]!, m[2]!);
  return out;
}

/** A table row's cells (bold marks removed), with its table's header to look columns up by name. */
interface Row {
  cells: string[];
  header: string[];
}

/** Every row of every Markdown table in `text` (header and separator rows left out). */
function rows(text: string): Row[] {
  const out: Row[] = [];
  const split = (l: string) =>
    l
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.trim().replace(/\*\*/g, ''));
  const lines = text.split('\n');
  let header: string[] | null = null;
  lines.forEach((l, i) => {
    if (!l.startsWith('|')) return void (header = null);
    if (/^\|[\s|:-]+\|$/.test(l.trim())) return;
    if (/^\|[\s|:-]+\|$/.test((lines[i + 1] ?? '').trim())) header = split(l);
    else out.push({ cells: split(l), header: header ?? [] });
  });
  return out;
}

const cellsOf = (text: string): string[][] => rows(text).map((r) => r.cells);

/** Thrown by a row's reader when its section lacks what it reads; the row then says "not measured". */
class Missing extends Error {}

function row(text: string, first: RegExp, what: string): string[] {
  return findRow(text, first, what).cells;
}

function findRow(text: string, first: RegExp, what: string): Row {
  const r = rows(text).find((x) => first.test(x.cells[0] ?? ''));
  if (!r) throw new Missing(`no table row matching ${first} (${what})`);
  return r;
}

/** The cell of `r` under the first header matching `column`. */
function col(r: Row, column: RegExp): string {
  const i = r.header.findIndex((h) => column.test(h));
  if (i < 0 || r.cells[i] === undefined) throw new Missing(`no column matching ${column}`);
  return r.cells[i]!;
}

function match(text: string, re: RegExp, what: string): RegExpMatchArray {
  const m = re.exec(text);
  if (!m) throw new Missing(`no ${what}`);
  return m;
}

const num = (s: string | undefined): number => Number((s ?? '').replace(/[,\s*]/g, ''));
const fmt = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
const ratio = (x: number): string => `${x.toFixed(2)}×`;

/**
 * When a section says it was measured ("- Date: …", "Measured …" or "(YYYY-MM-DD"),
 * and the load average it started under when that was above the machine's 2 cores
 * (other work shared them, so the figures are skewed).
 */
function measuredOn(text: string): string {
  const date = /(?:Date: |Measured |\()(\d{4}-\d{2}-\d{2})/.exec(text)?.[1] ?? '?';
  const load = Number(/Load average when the benchmark started: ([\d.]+)/.exec(text)?.[1] ?? NaN);
  return load > 2 ? `${date}, busy machine (load ${load.toFixed(1)} at the start)` : date;
}

interface NumberRow {
  what: string;
  section: string;
  read(text: string): string;
}

/** tokens/s, the PyTorch side, the ratio and the cores of a "tfjs vs PyTorch" section (train, forward). */
function versusTorch(text: string): string {
  const ours = findRow(text, /^tfjs .*wasm/, 'the tfjs wasm row');
  const torch = findRow(text, /^PyTorch/, 'the PyTorch row');
  const r = match(text, /Ratio tfjs \/ PyTorch: \*\*([\d.]+)×\*\*/, '"Ratio tfjs / PyTorch" line');
  const tps = (x: Row) => fmt(num(col(x, /^tokens\/s/)));
  const cores = (x: Row) => col(x, /^cores used/);
  return `${tps(ours)} tokens/s vs PyTorch's ${tps(torch)} on both cores: **${ratio(num(r[1]))}**; cores used ${cores(ours)} (PyTorch ${cores(torch)})`;
}

export const ROWS: NumberRow[] = [
  {
    what: '`npm run demo`: LoRA on the bundled model, before/after, merge',
    section: 'demo',
    read: (t) => {
      const wall = row(t, /^wall time/, 'wall time')[1]!;
      const parts = [wall];
      // Held-out exact match of the base model and of base + LoRA (bench/demo.ts writes one row each).
      const exact = cellsOf(t).filter((c) => /exact match|accuracy/i.test(c[0] ?? ''));
      if (exact.length > 0) parts.push(`held-out exact match ${exact.map((c) => c[1]).join(' → ')}`);
      const loss = cellsOf(t).find((c) => /eval loss/i.test(c[0] ?? ''));
      if (loss) parts.push(`held-out loss ${loss[1]}`);
      const merge = cellsOf(t).find((c) => /merge check/i.test(c[0] ?? ''));
      if (merge) parts.push(`merge verified (max logit difference ${merge[1]})`);
      return parts.join('; ');
    },
  },
  { what: 'LoRA training step, 17M-parameter Llama, 8 × 256 tokens, r 8 on q/v', section: 'train', read: versusTorch },
  { what: 'forward pass, same model and batch', section: 'forward', read: versusTorch },
  {
    what: 'greedy generation with the KV cache, same model, batch 1',
    section: 'generate',
    read: (t) => {
      const ours = findRow(t, /^LoRA Lab/, 'the LoRA Lab row');
      const torch = findRow(t, /^PyTorch/, 'the PyTorch row');
      const r = match(t, /Decode ratio LoRA Lab \/ PyTorch: \*\*([\d.]+)×\*\*/, '"Decode ratio" line');
      const same = match(t, /Same greedy tokens: \*\*(\w+)\*\*/, '"Same greedy tokens" line');
      const size = match(t, /One prompt of (\d+) random token ids, (\d+) new tokens/, 'prompt and new-token counts');
      return `${col(ours, /^decode tokens\/s/)} tokens/s decode vs PyTorch's ${col(torch, /^decode tokens\/s/)}: **${ratio(num(r[1]))}** (${size[1]}-token prompt, ${size[2]} new tokens); same greedy tokens: ${same[1]}`;
    },
  },
  {
    what: 'LoRA step ÷ full fine-tuning step, 4M-parameter model, 8 × 128',
    section: 'lora-vs-full',
    read: (t) => {
      const opt = /optimizer state \*\*([\d.]+)×\*\*/.exec(t);
      const peak = (re: RegExp) => col(findRow(t, re, 'a method row'), /^peak − baseline, during the steps/);
      const rest = `${opt ? `; ${(100 * num(opt[1])).toFixed(1)}% of the optimizer state` : ''}; peak memory ${peak(/^lora$/)} vs ${peak(/^full$/)}`;
      const both = /LoRA \/ full step time: LoRA Lab \*\*([\d.]+)×\*\*, PyTorch \*\*([\d.]+)×\*\*; ours ≤ PyTorch's: \*\*(\w+)\*\*/.exec(t);
      if (both) return `**${ratio(num(both[1]))}** vs PyTorch's ${ratio(num(both[2]))} (ours ≤ PyTorch's: ${both[3]})${rest}`;
      // Sections written before the PyTorch side was measured have only the engine's ratio.
      const ours = match(t, /lora \/ full: step time \*\*([\d.]+)×\*\*/, '"LoRA / full step time" line');
      return `**${ratio(num(ours[1]))}** (PyTorch's ratio not measured)${rest}`;
    },
  },
  {
    what: 'QLoRA base memory (NF4, double quantization)',
    section: 'qlora',
    read: (t) => {
      const dq = findRow(t, /^NF4 \+ double quant/, 'NF4 + double quant');
      const [bytes, bound] = col(dq, /^bytes \/ parameter/).split(/\s+(?=\()/);
      const step = match(t, /\(\*\*([\d.]+)×\*\* LoRA\)/, 'step time against LoRA');
      const loss = match(t, /eval loss is \*\*([\d.]+%)\*\* (above|below) LoRA's/, 'eval loss against LoRA');
      return `**${bytes} bytes per weight** (${bound ? `${bound.replace(/[()]/g, '')}; ` : ''}${col(dq, /^smaller than float32/)} smaller than float32); step ${step[1]}× LoRA's; held-out eval loss ${loss[1]} ${loss[2]} LoRA's`;
    },
  },
  {
    what: 'AdaLoRA (init_r 12 → target_r 8) vs LoRA r 8 on the demo task, held-out eval loss',
    section: 'adalora',
    read: (t) => {
      const lora = findRow(t, /^LoRA r/, 'the LoRA row');
      const ada = rows(t).filter((r) => /^AdaLoRA/.test(r.cells[0] ?? ''));
      if (ada.length === 0) throw new Missing('no AdaLoRA rows');
      const final = (r: Row) => col(r, /eval loss/).split('→').pop()!.trim();
      return `LoRA ${final(lora)}; AdaLoRA ${ada.map((r) => `${final(r)} (${col(r, /^vs LoRA/)}) at lr ${col(r, /^lr$/)}`).join(', ')}`;
    },
  },
  {
    what: 'UI: metric written → drawn; a 100,000-point chart; 10 runs compared on a 1,000-run registry',
    section: 'ui',
    read: (t) => {
      const pick = (re: RegExp, what: string) => {
        const r = row(t, re, what);
        return `${r[2]} (goal ${(r[1] ?? '').replace(/^<\s*/, '< ')})`;
      };
      return [pick(/^metric appended/, 'live latency'), pick(/^100,000-point/, 'chart'), pick(/^10 runs compared/, 'comparison')].join('; ');
    },
  },
  {
    what: '`loralab --help`; `loralab inspect` on a 12 GB ChatGLM-6B-shaped checkpoint (wall, median)',
    section: 'startup',
    read: (t) => `${row(t, /^usage$/, 'usage')[2]}; ${row(t, /^inspect a ChatGLM/, 'inspect a checkpoint')[2]} (headers only)`,
  },
  {
    what: 'reliability suite: signals at random points, double resumes, full disk, 40,000 fuzzed inputs, soaked runs',
    section: 'reliability',
    read: (t) => match(t, /Totals: (.+)/, '"Totals:" line')[1]!.replace(/\*\*/g, '').replace(/\.$/, ''),
  },
  {
    what: 'merging into a 982 MB float32 checkpoint',
    section: 'merge',
    read: (t) => {
      const tp = row(t, /^mergeModel, float32 output/, 'float32 throughput');
      const peak = row(t, /^float32 output$/, 'float32 peak');
      const bound = match(t, /Bound: (.+?) = \*\*([\d.]+ MB)\*\*/, '"Bound:" line');
      return `${tp[3]} MB/s; peak ${peak[4]} above baseline (bound ${bound[1]} = ${bound[2]})`;
    },
  },
  {
    what: 'peak memory loading a 490 MB float16 checkpoint',
    section: 'load-memory',
    read: (t) => {
      const over = row(t, /^peak − baseline/, 'peak − baseline');
      const bound = row(t, /^bound:/, 'bound');
      return `${over[1]} above baseline (${bound[0]} = ${bound[1]})`;
    },
  },
];

/** The table README.md should hold, from BENCHMARKS.md's text. */
export function numbersTable(benchmarks: string): string {
  const sections = parseSections(benchmarks);
  const lines = ['| what | value | measured |', '|---|---|---|'];
  for (const r of ROWS) {
    const text = sections.get(r.section);
    let value: string;
    let when = '—';
    if (text === undefined) value = `not measured (BENCHMARKS.md has no bench:${r.section} section)`;
    else {
      when = `${measuredOn(text)} ([bench:${r.section}](BENCHMARKS.md))`;
      try {
        value = r.read(text);
      } catch (err) {
        if (!(err instanceof Missing)) throw err;
        value = `not measured (bench:${r.section}: ${err.message})`;
      }
    }
    lines.push(`| ${r.what} | ${value.replace(/\|/g, '\\|')} | ${when} |`);
  }
  return lines.join('\n');
}

/** README text with the marked region replaced by `table`; throws when the markers are missing. */
export function withNumbers(readme: string, table: string, file = 'README.md'): string {
  const i = readme.indexOf(START);
  const j = readme.indexOf(END);
  if (i < 0 || j < i) throw new Error(`${file}: expected a ${START} … ${END} region for the numbers table`);
  return `${readme.slice(0, i + START.length)}\n${table}\n${readme.slice(j)}`;
}

/**
 * Rewrites README.md's table from BENCHMARKS.md as they are now; true when it changed.
 * bench/report.ts writeSection calls it after every benchmark, so the two files move together.
 */
export function refreshReadme(): boolean {
  const readme = readFileSync(README_FILE, 'utf8');
  const next = withNumbers(readme, numbersTable(readFileSync(BENCHMARKS_FILE, 'utf8')), README_FILE);
  if (next !== readme) writeFileSync(README_FILE, next);
  return next !== readme;
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  if (argv.some((a) => a !== '--check')) {
    console.error('usage: npx tsx scripts/readme-numbers.ts [--check]');
    return 2;
  }
  if (check) {
    const readme = readFileSync(README_FILE, 'utf8');
    if (withNumbers(readme, numbersTable(readFileSync(BENCHMARKS_FILE, 'utf8')), README_FILE) === readme) return 0;
    console.error(`${README_FILE}: the numbers table differs from what BENCHMARKS.md gives; run npm run readme:numbers`);
    return 1;
  }
  console.log(refreshReadme() ? 'README.md numbers table rewritten from BENCHMARKS.md' : 'README.md numbers table already up to date');
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
