// Writes the walking skeleton's toy data set (resources/data/skeleton/*.jsonl)
// from the engine's seeded sentence grammar, so the bundled files can be remade.
// Run: npx tsx scripts/make-skeleton-data.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { skeletonCorpus } from '../src/main/engine/toy/corpus';

const dir = join(__dirname, '..', 'resources', 'data', 'skeleton');
mkdirSync(dir, { recursive: true });
const write = (name: string, lines: string[]) =>
  writeFileSync(join(dir, name), lines.map((text) => JSON.stringify({ text })).join('\n') + '\n');
write('train.jsonl', skeletonCorpus(1, 2000));
write('eval.jsonl', skeletonCorpus(2, 200));
console.log(`wrote ${dir}/train.jsonl and eval.jsonl`);
