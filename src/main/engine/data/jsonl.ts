// Reads a JSON Lines data file into training/eval examples: every line is one
// sequence in one of docs/ARCHITECTURE.md's row shapes, encoded by the tokenizer module.
// Blank lines are skipped; a bad line is an error naming the file and line.
import { readFileSync } from 'node:fs';
import { encodeExample, ExampleError, type Example } from '../io/tokenizer/index';
import type { HfTokenizer } from '../io/tokenizer/index';

export function readExamples(file: string, tokenizer: HfTokenizer | null, maxSeqLen?: number): Example[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read the data file (${(err as NodeJS.ErrnoException).code})`);
  }
  const examples: Example[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const source = { file, line: i + 1 };
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (err) {
      throw new ExampleError(source, `not valid JSON (${(err as Error).message})`);
    }
    const ex = encodeExample(tokenizer, row, source);
    examples.push(maxSeqLen === undefined ? ex : { inputIds: ex.inputIds.slice(0, maxSeqLen), labels: ex.labels.slice(0, maxSeqLen) });
  });
  if (examples.length === 0) throw new Error(`${file}: no examples (the file is empty)`);
  return examples;
}
