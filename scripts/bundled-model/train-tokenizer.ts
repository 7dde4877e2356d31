// Trains the bundled base model's byte-level BPE tokenizer (4,096 tokens) on
// resources/data/brown/train.jsonl and the template number sentences
// (number-corpus.ts) and writes tokenizer.json,
// tokenizer_config.json and special_tokens_map.json to
// resources/models/lab-tiny-llama/. Deterministic: the same corpus gives the
// same bytes (test/integration/bundled-tokenizer.test.ts checks it). Then loads
// the result with LoRA Lab's own loader and prints what the model-training
// step needs: round trips, characters per token, row lengths in tokens.
// Run: npx tsx scripts/bundled-model/train-tokenizer.ts   (after prepare-corpus.ts)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTokenizer } from '../../src/main/engine/io/tokenizer';
import { buildTokenizerFiles, CORPUS_EVAL, CORPUS_TRAIN, MODEL_DIR, readTextRows, tokenizerTrainingTexts } from './tokenizer-files';

async function main(): Promise<void> {
  const started = performance.now();
  const files = buildTokenizerFiles(tokenizerTrainingTexts());
  const train = readTextRows(CORPUS_TRAIN);
  const seconds = (performance.now() - started) / 1000;
  mkdirSync(MODEL_DIR, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(MODEL_DIR, name), text);
    console.log(`wrote ${join(MODEL_DIR, name)} (${Buffer.byteLength(text)} bytes)`);
  }
  console.log(`trained on the Brown train split and the number templates in ${seconds.toFixed(1)} s`);

  // A report, not a gate: the integration test asserts what must hold.
  const tokenizer = await loadTokenizer(MODEL_DIR);
  if (!tokenizer) throw new Error(`no tokenizer.json in ${MODEL_DIR}`);
  console.log(`vocab ${tokenizer.vocabSize}; bos ${tokenizer.bosId}, eos ${tokenizer.eosId}, pad ${tokenizer.padId}`);
  for (const [name, rows] of [
    ['train', train],
    ['eval', readTextRows(CORPUS_EVAL)],
  ] as const) {
    let chars = 0;
    let tokens = 0;
    let mismatches = 0;
    const lengths: number[] = [];
    for (const row of rows) {
      const ids = tokenizer.encode(row, { addSpecialTokens: false });
      if (tokenizer.decode(ids) !== row) mismatches++;
      chars += row.length;
      tokens += ids.length;
      lengths.push(ids.length + 1); // + bos
    }
    lengths.sort((a, b) => a - b);
    const at = (q: number): number => lengths[Math.floor(q * (lengths.length - 1))]!;
    console.log(
      `${name}: ${rows.length} rows, ${tokens} tokens (${(chars / tokens).toFixed(2)} chars/token), ` +
        `round-trip mismatches ${mismatches}; tokens per row with bos: ` +
        `median ${at(0.5)}, p90 ${at(0.9)}, p99 ${at(0.99)}, max ${at(1)}, over 128: ${lengths.filter((n) => n > 128).length}, over 256: ${lengths.filter((n) => n > 256).length}`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
