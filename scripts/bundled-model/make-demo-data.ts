// Makes the bundled demo dataset for LoRA fine-tuning of the bundled base model:
// resources/data/demo-numbers/train.jsonl (2,000 rows) and eval.jsonl (200
// rows, no number in both): chat rows {"messages": [user "Write 347 in words.",
// assistant "three hundred forty-seven"]} (see number-words.ts). Deterministic from a seed.
// Run: npx tsx scripts/bundled-model/make-demo-data.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoRows, toChatRow, type InstructionRow } from './number-words';

const outDir = join(__dirname, '..', '..', 'resources', 'data', 'demo-numbers');

function main(): void {
  const { train, eval: evalRows } = demoRows();
  const trainInputs = new Set(train.map((r) => r.input));
  const overlap = evalRows.filter((r) => trainInputs.has(r.input));
  if (overlap.length > 0) throw new Error(`eval inputs also in train: ${overlap.map((r) => r.input).join(', ')}`);
  mkdirSync(outDir, { recursive: true });
  const write = (name: string, rows: InstructionRow[]): void => {
    const body = rows.map((r) => JSON.stringify(toChatRow(r))).join('\n') + '\n';
    writeFileSync(join(outDir, name), body);
    console.log(`wrote ${join(outDir, name)}: ${rows.length} rows, ${Buffer.byteLength(body)} bytes`);
  };
  write('train.jsonl', train);
  write('eval.jsonl', evalRows);
}

main();
