// Pretrains the bundled base model (resources/models/lab-tiny-llama) with LoRA
// Lab itself: initialise a small Llama; pack the recipe's text into fixed-length
// token sequences (<|bos|> text <|eos|>, concatenated and cut into blocks); run
// `loralab train` with method full (recorded in a registry under the build
// folder), one run per phase, each from the previous phase's weights; then write
// the trained weights as float16 with the tokenizer, configs and a model card.
//
// Recipes:
// - brown (the default; the bundled weights): the Brown corpus, one run of 300
//   steps of 16 × 128 tokens.
// - numbers (an experiment toward issue 11's demo, not the bundled weights yet):
//   500 Brown sentences shuffled with prose that reads numbers out
//   (number-corpus.ts: every number 0–9999 but the demo's held-out ones), so the
//   base knows how numbers are read but not the demo's chat format; two runs of
//   800 and 1200 steps of 4 × 128 tokens. On two busy cores the first run learned
//   to read a number's first digit (held-out "The number 7227 is read" → "seven
//   thousand six hundred sixty-five.") and the second had not learned the later
//   digits by its step 750: it needs several thousand more steps.
//
// Run: npx tsx scripts/bundled-model/pretrain.ts [--recipe brown|numbers] [--steps N] [--steps2 N] [--build DIR] [--out DIR]
//      (after an interruption: the same command resumes the recorded run)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadTokenizer } from '../../src/main/engine/io/tokenizer/index';
import { SafetensorsFile, writeSafetensors } from '../../src/main/engine/io/safetensors/index';
import { writeJsonFile } from '../../src/main/engine/io/json-file';
import { openRegistry } from '../../src/main/registry/index';
import { createRng } from '../../src/main/engine/train/rng';
import { initModel, TOKENIZER_DIR } from './init-model';
import { NUMBER_CORPUS_SEED, numberSentences, SENTENCES_PER_NUMBER, shuffle } from './number-corpus';
import { LAB_TINY_LLAMA_CONFIG, LAB_TINY_LLAMA_GENERATION } from './model-config';

const ROOT = join(__dirname, '..', '..');
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const RECIPE = arg('recipe', 'brown');
if (RECIPE !== 'brown' && RECIPE !== 'numbers') throw new Error(`--recipe must be brown or numbers, got ${RECIPE}`);
const NUMBERS = RECIPE === 'numbers';
/** The runs' steps (--steps sets the first's, --steps2 the second's) and data-order seeds. */
const PHASES = NUMBERS
  ? [
      { steps: Number(arg('steps', '800')), seed: 42 },
      { steps: Number(arg('steps2', '1200')), seed: 43 },
    ]
  : [{ steps: Number(arg('steps', '300')), seed: 42 }];
const TRAIN = NUMBERS
  ? { batch_size: 4, lr: 3e-3, warmup_steps: 30, eval_every: 400, save_every: 50 }
  : { batch_size: 16, lr: 2e-3, warmup_steps: 20, eval_every: 100, save_every: 25 };
const BATCH = TRAIN.batch_size;
/** Brown sentences mixed in (numbers recipe): about a twentieth of the training tokens, the rest numbers. */
const BROWN_SENTENCES = 500;
const BUILD = arg('build', join(ROOT, 'build', NUMBERS ? 'lab-tiny-llama-numbers' : 'lab-tiny-llama'));
const OUT = arg('out', join(ROOT, 'resources', 'models', 'lab-tiny-llama'));
const BLOCK = 128;
const REGISTRY = join(BUILD, 'registry.sqlite');

const brownRows = (source: string): string[] =>
  readFileSync(source, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => (JSON.parse(line) as { text: string }).text);

/** The training text: Brown in file order, or the first BROWN_SENTENCES Brown sentences and the number sentences, shuffled together. */
function trainingTexts(): string[] {
  const all = brownRows(join(ROOT, 'resources/data/brown/train.jsonl'));
  if (!NUMBERS) return all;
  const brown = all.slice(0, BROWN_SENTENCES);
  return shuffle([...brown, ...numberSentences()], createRng(NUMBER_CORPUS_SEED + 1));
}

async function pack(texts: readonly string[], out: string): Promise<number> {
  const tok = (await loadTokenizer(TOKENIZER_DIR))!;
  const ids: number[] = [];
  for (const text of texts) ids.push(...tok.encode(text), tok.eosId!);
  const rows: string[] = [];
  for (let i = 0; i + BLOCK <= ids.length; i += BLOCK) rows.push(JSON.stringify({ input_ids: ids.slice(i, i + BLOCK) }));
  writeFileSync(out, rows.join('\n') + '\n');
  return rows.length;
}

function loralab(...args: string[]): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'loralab.mjs'), ...args, '--registry', REGISTRY], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`loralab ${args.join(' ')} exited with ${r.status}`);
}

async function main(): Promise<void> {
  mkdirSync(BUILD, { recursive: true });
  const init = join(BUILD, 'init');
  if (!existsSync(join(init, 'model.safetensors'))) initModel(init);
  const train = join(BUILD, NUMBERS ? 'brown-numbers-train-packed.jsonl' : 'brown-train-packed.jsonl');
  const evalFile = join(BUILD, 'brown-eval-packed.jsonl');
  if (!existsSync(train)) console.log(`packed ${await pack(trainingTexts(), train)} training blocks of ${BLOCK} tokens`);
  if (!existsSync(evalFile)) console.log(`packed ${await pack(brownRows(join(ROOT, 'resources/data/brown/eval.jsonl')), evalFile)} eval blocks`);

  // One run per phase, each from the previous one's weights with a fresh warm-up
  // and cosine (an interrupted run resumes; a completed one is kept).
  let model = init;
  let last = { runId: 0, evalLoss: null as number | null };
  for (const [i, phase] of PHASES.entries()) {
    const config = {
      name: i === 0 ? 'lab-tiny-llama-pretrain' : `lab-tiny-llama-pretrain-${i + 1}`,
      model,
      method: 'full',
      data: { train, eval: evalFile, max_seq_len: BLOCK },
      train: { steps: phase.steps, batch_size: BATCH, lr: TRAIN.lr, schedule: 'cosine', warmup_steps: TRAIN.warmup_steps, weight_decay: 0.01, max_grad_norm: 1.0, seed: phase.seed, eval_every: TRAIN.eval_every, save_every: TRAIN.save_every },
    };
    const configFile = join(BUILD, i === 0 ? 'pretrain.json' : `pretrain-${i + 1}.json`);
    writeJsonFile(configFile, config, { sort: false });
    const registry = existsSync(REGISTRY) ? openRegistry(REGISTRY) : null;
    const previous = registry?.runs.list().find((r) => r.name === config.name);
    registry?.close();
    if (previous && previous.status !== 'completed') loralab('resume', String(previous.id));
    else if (!previous) loralab('train', configFile);

    const reg = openRegistry(REGISTRY, { readonly: true });
    const run = reg.runs.list().find((r) => r.name === config.name)!;
    model = reg.artifacts.forRun(run.id).find((a) => a.kind === 'model')!.path;
    last = { runId: run.id, evalLoss: reg.metrics.forRun(run.id, { names: ['eval_loss'] }).at(-1)?.value ?? null };
    reg.close();
  }
  publish(model, last.runId, last.evalLoss);
}

/** Writes the trained model into resources as float16 (half the bytes; loaded as float32). */
function publish(modelDir: string, runId: number, evalLoss: number | null): void {
  const out = OUT;
  mkdirSync(out, { recursive: true });
  if (resolve(out) !== resolve(TOKENIZER_DIR)) for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) copyFileSync(join(TOKENIZER_DIR, f), join(out, f));
  const src = SafetensorsFile.open(join(modelDir, 'model.safetensors'));
  const tensors = [...src.header.tensors.values()].map((t) => ({ name: t.name, dtype: 'F16' as const, shape: t.shape, data: src.readFloat32(t.name) }));
  src.close();
  writeSafetensors(join(out, 'model.safetensors'), tensors);
  writeJsonFile(join(out, 'config.json'), { ...LAB_TINY_LLAMA_CONFIG, torch_dtype: 'float16' });
  writeJsonFile(join(out, 'generation_config.json'), LAB_TINY_LLAMA_GENERATION);
  const params = tensors.reduce((n, t) => n + t.data.length, 0);
  writeFileSync(join(out, 'README.md'), NUMBERS ? numbersCard(params, runId, evalLoss) : brownCard(params, runId, evalLoss));
  console.log(`published ${out} (${params.toLocaleString('en-US')} parameters, eval loss ${evalLoss})`);
}

const lossLine = (evalLoss: number | null): string => `Held-out Brown eval loss: ${evalLoss === null ? 'n/a' : evalLoss.toFixed(4)}. Weights stored as float16.\n\n`;

function brownCard(params: number, runId: number, evalLoss: number | null): string {
  return (
    `# lab-tiny-llama\n\nLoRA Lab's bundled base model: a ${(params / 1e6).toFixed(2)}M-parameter Llama (4 layers, hidden 256,\n` +
    `4 heads / 2 KV heads, SwiGLU 704, RoPE, tied embeddings, vocab 4096 byte-level BPE), pretrained by LoRA Lab\n` +
    `itself (method full, ${PHASES[0]!.steps} steps of ${BATCH} × ${BLOCK} tokens) on the Brown corpus (resources/data/brown; distributed\n` +
    `with the copyright holder's permission, redistribution permitted).\n\n` +
    `Made by: \`npx tsx scripts/bundled-model/pretrain.ts --steps ${PHASES[0]!.steps}\` (run ${runId} of its build registry).\n` +
    lossLine(evalLoss) +
    `It is a toy: enough English to show fine-tuning move a loss curve, not a useful assistant.\n`
  );
}

function numbersCard(params: number, runId: number, evalLoss: number | null): string {
  return (
    `# lab-tiny-llama\n\nLoRA Lab's bundled base model: a ${(params / 1e6).toFixed(2)}M-parameter Llama (4 layers, hidden 256,\n` +
    `4 heads / 2 KV heads, SwiGLU 704, RoPE, tied embeddings, vocab 4096 byte-level BPE), pretrained by LoRA Lab\n` +
    `itself (method full: runs of ${PHASES.map((p) => p.steps).join(' + ')} steps of ${BATCH} × ${BLOCK} tokens, each from the previous one's weights) on:\n\n` +
    `- ${BROWN_SENTENCES.toLocaleString('en-US')} sentences of the Brown corpus (resources/data/brown; distributed with the copyright\n` +
    `  holder's permission, redistribution permitted), and\n` +
    `- prose that reads numbers out, e.g. "He counted 4721 votes, that is, four thousand seven hundred\n` +
    `  twenty-one." (scripts/bundled-model/number-corpus.ts): every number 0–9999 in ${SENTENCES_PER_NUMBER} such sentences,\n` +
    `  except the 200 numbers of the demo's held-out set (resources/data/demo-numbers/eval.jsonl), which\n` +
    `  appear nowhere in its training text.\n\n` +
    `It has never seen a chat template or the demo's instruction ("Write 4721 in words."): it knows how\n` +
    `numbers are read, not the task. The demo's LoRA teaches the format, and its held-out exact match\n` +
    `counts numbers the model composes digit by digit, not sentences it recalls.\n\n` +
    `Made by: \`npx tsx scripts/bundled-model/pretrain.ts --recipe numbers --steps ${PHASES[0]!.steps} --steps2 ${PHASES[1]!.steps}\` (runs 1–${runId} of its build registry).\n` +
    lossLine(evalLoss) +
    `It is a toy: a little English and number reading, enough to show what a LoRA adds, not a useful assistant.\n`
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
