// Pretrains the bundled base model (resources/models/lab-tiny-llama): initialise a
// small Llama; pack the recipe's text into fixed-length token sequences (<|bos|>
// text <|eos|>, concatenated and cut into blocks); train every weight, one run
// per phase, each from the previous phase's weights; then write the trained
// weights as float16 with the tokenizer, configs and a model card.
//
// Recipes:
// - numbers (the bundled weights): LoRA Lab's demo needs a base that knows how
//   numbers are read but not the demo's chat task (number-corpus.ts). Two phases
//   trained in PyTorch (pretrain_torch.py: the same Llama forward the benches
//   check LoRA Lab against, about twice as fast for full training of every
//   weight on two cores): 1. the template sentences, 2. the filler sentences,
//   each mixed with Brown sentences. Every phase logs the teacher-forced exact
//   match of held-out probes ("The number 7227 is read" → its words).
// - brown: the Brown corpus only, trained by LoRA Lab itself (`loralab train`,
//   method full, recorded in a registry under the build folder): 300 steps of
//   16 × 128 tokens. The bundled weights before the demo needed numbers.
//
// Run: npx tsx scripts/bundled-model/pretrain.ts [--recipe numbers|brown] [--build DIR] [--out DIR]
//      numbers: [--steps N] [--steps2 N] (phase lengths); brown: [--steps N]
//      (after an interruption the same command goes on: finished phases are kept)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadTokenizer } from '../../src/main/engine/io/tokenizer/index';
import { SafetensorsFile, writeSafetensors } from '../../src/main/engine/io/safetensors/index';
import { writeJsonFile } from '../../src/main/engine/io/json-file';
import { openRegistry } from '../../src/main/registry/index';
import { createRng } from '../../src/main/engine/train/rng';
import { initModel, TOKENIZER_DIR } from './init-model';
import { FILLER_PER_NUMBER, fillerSentences, MAX_FILLER_WORDS, NUMBER_CORPUS_SEED, SENTENCES_PER_NUMBER, shuffle, templateSentences } from './number-corpus';
import { demoRows, numberToWords } from './number-words';
import { LAB_TINY_LLAMA_CONFIG, LAB_TINY_LLAMA_GENERATION } from './model-config';
import { CORPUS_EVAL, CORPUS_TRAIN, readTextRows } from './tokenizer-files';

const ROOT = join(__dirname, '..', '..');
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const RECIPE = arg('recipe', 'numbers');
if (RECIPE !== 'brown' && RECIPE !== 'numbers') throw new Error(`--recipe must be numbers or brown, got ${RECIPE}`);
const NUMBERS = RECIPE === 'numbers';
/**
 * numbers: phase 1 stops part-way down a longer cosine (its `schedule`), so phase 2
 * starts from a model still learning, at a lower peak. Measured here (2 cores):
 * the template probe is at 89% by step 750 and 97% at 1750; the filler phase then
 * takes the filler probe from 43% to 100% (the reading finds its number at any distance).
 */
const FILLER_STEPS = Number(arg('steps2', '1000'));
const NUMBER_PHASES = [
  { name: 'templates', steps: Number(arg('steps', '1750')), schedule: 3000, lr: 2e-3, seed: 42 },
  { name: 'filler', steps: FILLER_STEPS, schedule: FILLER_STEPS, lr: 1e-3, seed: 43 },
] as const;
const BROWN_STEPS = Number(arg('steps', '300'));
const BATCH = 16;
/** Brown rows (paragraphs) mixed into each numbers phase: about a sixth of its tokens. */
const BROWN_ROWS = 1500;
const BUILD = arg('build', join(ROOT, 'build', NUMBERS ? 'lab-tiny-llama-numbers' : 'lab-tiny-llama'));
const OUT = arg('out', join(ROOT, 'resources', 'models', 'lab-tiny-llama'));
const BLOCK = 128;
const REGISTRY = join(BUILD, 'registry.sqlite');
const PYTHON = process.env.LORALAB_PYTHON ?? '/usr/bin/python3';

const brownTrain = (): string[] => readTextRows(CORPUS_TRAIN);

/** A numbers phase's text: its number sentences and the first BROWN_ROWS Brown rows, shuffled together. */
function phaseTexts(phase: (typeof NUMBER_PHASES)[number]['name']): string[] {
  const brown = brownTrain();
  const numbers = phase === 'templates' ? templateSentences() : fillerSentences(brown);
  return shuffle([...brown.slice(0, BROWN_ROWS), ...numbers], createRng(NUMBER_CORPUS_SEED + 1));
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
  const evalFile = join(BUILD, 'brown-eval-packed.jsonl');
  if (!existsSync(evalFile)) console.log(`packed ${await pack(readTextRows(CORPUS_EVAL), evalFile)} eval blocks`);
  if (NUMBERS) await pretrainNumbers(init, evalFile);
  else await pretrainBrown(init, evalFile);
}

/** The numbers recipe: one pretrain_torch.py run per phase, each from the previous one's weights. */
async function pretrainNumbers(init: string, evalFile: string): Promise<void> {
  const probe = join(BUILD, 'probe.json');
  if (!existsSync(probe)) await writeProbe(probe);
  let model = init;
  let last: PhaseLog | undefined;
  for (const [i, phase] of NUMBER_PHASES.entries()) {
    const out = join(BUILD, `phase-${i + 1}-${phase.name}`);
    const train = join(BUILD, `${phase.name}-packed.jsonl`);
    if (!existsSync(train)) console.log(`packed ${await pack(phaseTexts(phase.name), train)} ${phase.name} blocks of ${BLOCK} tokens`);
    last = finishedPhase(out, phase.steps);
    if (!last) {
      console.log(`phase ${i + 1} (${phase.name}): ${phase.steps} steps of ${BATCH} × ${BLOCK} tokens from ${model}`);
      const args = [join(__dirname, 'pretrain_torch.py'), '--init', model, '--train', train, '--eval', evalFile, '--out', out,
        '--steps', String(phase.steps), '--schedule-steps', String(phase.schedule), '--lr', String(phase.lr),
        '--batch', String(BATCH), '--seed', String(phase.seed), '--probe', probe];
      const r = spawnSync(PYTHON, args, { stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`${PYTHON} ${args.join(' ')} exited with ${r.status}`);
      last = finishedPhase(out, phase.steps);
      if (!last) throw new Error(`${out}/log.jsonl does not end with step ${phase.steps}`);
    }
    model = out;
  }
  publish(model, numbersCard(last!));
}

interface PhaseLog {
  step: number;
  eval_loss: number;
  probe_template: number;
  probe_filler: number;
  done: boolean;
}

/** The last log line of a phase that ran to `steps` (its weights are written before that line), or undefined. */
function finishedPhase(out: string, steps: number): PhaseLog | undefined {
  const log = join(out, 'log.jsonl');
  if (!existsSync(log)) return undefined;
  const lines = readFileSync(log, 'utf8').split('\n').filter((l) => l.trim());
  const lastLine = lines.length > 0 ? (JSON.parse(lines.at(-1)!) as PhaseLog) : undefined;
  return lastLine?.done && lastLine.step === steps ? lastLine : undefined;
}

/**
 * The probes, on the demo's held-out numbers (which no pretraining text holds):
 * "The number 7227 is read" (a template) and "He wrote 7227 <three Brown words>
 * that is," (a filler sentence), each followed by the words and the full stop.
 */
async function writeProbe(file: string): Promise<void> {
  const tok = (await loadTokenizer(TOKENIZER_DIR))!;
  const rng = createRng(NUMBER_CORPUS_SEED + 3);
  const words = ['the', 'old', 'house', 'was', 'on', 'a', 'hill', 'and', 'he', 'said'];
  const row = (prompt: string, answer: string) => {
    const head = tok.encode(prompt);
    const all = tok.encode(prompt + answer);
    if (!head.every((id, i) => all[i] === id)) throw new Error(`"${prompt}" does not tokenise as a prefix of "${prompt + answer}"`);
    return { prompt: head, answer: all.slice(head.length) };
  };
  const numbers = demoRows().eval.map((r) => Number(r.input));
  const filler = () => Array.from({ length: 3 }, () => words[Math.floor(rng.next() * words.length)]).join(' ');
  writeJsonFile(file, {
    template: numbers.map((n) => row(`The number ${n} is read`, ` ${numberToWords(n)}.`)),
    filler: numbers.map((n) => row(`He wrote ${n} ${filler()} that is,`, ` ${numberToWords(n)}.`)),
  });
}

/** The brown recipe: `loralab train` with method full on the Brown corpus. */
async function pretrainBrown(init: string, evalFile: string): Promise<void> {
  const train = join(BUILD, 'brown-train-packed.jsonl');
  if (!existsSync(train)) console.log(`packed ${await pack(brownTrain(), train)} training blocks of ${BLOCK} tokens`);
  const config = {
    name: 'lab-tiny-llama-pretrain',
    model: init,
    method: 'full',
    data: { train, eval: evalFile, max_seq_len: BLOCK },
    train: { steps: BROWN_STEPS, batch_size: BATCH, lr: 2e-3, schedule: 'cosine', warmup_steps: 20, weight_decay: 0.01, max_grad_norm: 1.0, seed: 42, eval_every: 100, save_every: 25 },
  };
  const configFile = join(BUILD, 'pretrain.json');
  writeJsonFile(configFile, config, { sort: false });
  const registry = existsSync(REGISTRY) ? openRegistry(REGISTRY) : null;
  const previous = registry?.runs.list().find((r) => r.name === config.name);
  registry?.close();
  if (previous && previous.status !== 'completed') loralab('resume', String(previous.id));
  else if (!previous) loralab('train', configFile);

  const reg = openRegistry(REGISTRY, { readonly: true });
  const run = reg.runs.list().find((r) => r.name === config.name)!;
  const model = reg.artifacts.forRun(run.id).find((a) => a.kind === 'model')!.path;
  const evalLoss = reg.metrics.forRun(run.id, { names: ['eval_loss'] }).at(-1)?.value ?? null;
  reg.close();
  publish(model, brownCard(run.id, evalLoss));
}

/** Writes the trained model into resources as float16 (half the bytes; loaded as float32) with its card. */
function publish(modelDir: string, card: (params: number) => string): void {
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
  writeFileSync(join(out, 'README.md'), card(params));
  console.log(`published ${out} (${params.toLocaleString('en-US')} parameters)`);
}

const ARCHITECTURE = (params: number) =>
  `a ${(params / 1e6).toFixed(2)}M-parameter Llama (4 layers, hidden 256,\n` +
  `4 heads / 2 KV heads, SwiGLU 704, RoPE, tied embeddings, vocab 4096 byte-level BPE with every digit a token of its own)`;

const brownCard = (runId: number, evalLoss: number | null) => (params: number): string =>
  `# lab-tiny-llama\n\nLoRA Lab's bundled base model: ${ARCHITECTURE(params)}, pretrained by LoRA Lab\n` +
  `itself (method full, ${BROWN_STEPS} steps of ${BATCH} × ${BLOCK} tokens) on the Brown corpus (resources/data/brown; distributed\n` +
  `with the copyright holder's permission, redistribution permitted).\n\n` +
  `Made by: \`npx tsx scripts/bundled-model/pretrain.ts --recipe brown --steps ${BROWN_STEPS}\` (run ${runId} of its build registry).\n` +
  `Held-out Brown eval loss: ${evalLoss === null ? 'n/a' : evalLoss.toFixed(4)}. Weights stored as float16.\n\n` +
  `It is a toy: enough English to show fine-tuning move a loss curve, not a useful assistant.\n`;

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

const numbersCard = (last: PhaseLog) => (params: number): string =>
  `# lab-tiny-llama\n\nLoRA Lab's bundled base model: ${ARCHITECTURE(params)},\n` +
  `pretrained from scratch, every weight trained, in two phases of ${NUMBER_PHASES.map((p) => p.steps).join(' and ')} steps of ${BATCH} × ${BLOCK} tokens\n` +
  `(the second from the first's weights) on:\n\n` +
  `- ${BROWN_ROWS.toLocaleString('en-US')} paragraphs of the Brown corpus (resources/data/brown; distributed with the copyright\n` +
  `  holder's permission, redistribution permitted), and\n` +
  `- prose that reads numbers out (scripts/bundled-model/number-corpus.ts): phase 1 eight short\n` +
  `  sentences such as "The number 4721 is read four thousand seven hundred twenty-one.", every number\n` +
  `  0–9999 in ${SENTENCES_PER_NUMBER} of them; phase 2 sentences with up to ${MAX_FILLER_WORDS} random Brown words between the number\n` +
  `  and its reading ("She counted 4721 the old house that is, four thousand seven hundred twenty-one."),\n  ${FILLER_PER_NUMBER} per number.\n` +
  `  The 200 numbers of the demo's held-out set (resources/data/demo-numbers/eval.jsonl) appear nowhere in it.\n\n` +
  `It has never seen a chat template or the demo's instruction ("Write 4721 in words."): it knows how\n` +
  `numbers are read, not the task. The demo's LoRA teaches the format, and its held-out exact match\n` +
  `counts numbers the model composes digit by digit, not sentences it recalls.\n\n` +
  `Made by: \`npx tsx scripts/bundled-model/pretrain.ts\` (the numbers recipe; the training itself in PyTorch,\n` +
  `scripts/bundled-model/pretrain_torch.py, for speed: full training of every weight, about twice LoRA Lab's rate on two cores).\n` +
  `At the end, on the held-out numbers (teacher-forced, every word token right): "The number 7227 is read" ${pct(last.probe_template)},\n` +
  `"He wrote 7227 <three words> that is," ${pct(last.probe_filler)}. Held-out Brown eval loss: ${last.eval_loss.toFixed(4)}. Weights stored as float16.\n\n` +
  `It is a toy: a little English and number reading, enough to show what a LoRA adds, not a useful assistant.\n`;

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
