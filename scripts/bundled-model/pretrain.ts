// Pretrains the bundled base model (resources/models/lab-tiny-llama) with LoRA
// Lab itself: initialise a small Llama, pack the Brown corpus into fixed-length
// token sequences (<|bos|> text <|eos|>, concatenated and cut into blocks), run
// `loralab train` with method full (recorded in a registry under the build
// folder), then write the trained weights as float16 with the tokenizer, configs
// and a model card into resources/models/lab-tiny-llama.
//
// Run: npx tsx scripts/bundled-model/pretrain.ts [--steps N] [--build DIR]
//      (after an interruption: the same command resumes the recorded run)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTokenizer } from '../../src/main/engine/io/tokenizer/index';
import { SafetensorsFile, writeSafetensors } from '../../src/main/engine/io/safetensors/index';
import { writeJsonFile } from '../../src/main/engine/io/json-file';
import { openRegistry } from '../../src/main/registry/index';
import { initModel, TOKENIZER_DIR } from './init-model';
import { LAB_TINY_LLAMA_CONFIG, LAB_TINY_LLAMA_GENERATION } from './model-config';

const ROOT = join(__dirname, '..', '..');
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const STEPS = Number(arg('steps', '300'));
const BUILD = arg('build', join(ROOT, 'build', 'lab-tiny-llama'));
const BLOCK = 128;
const REGISTRY = join(BUILD, 'registry.sqlite');

async function pack(source: string, out: string): Promise<number> {
  const tok = (await loadTokenizer(TOKENIZER_DIR))!;
  const ids: number[] = [];
  for (const line of readFileSync(source, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    ids.push(...tok.encode(JSON.parse(line).text), tok.eosId!);
  }
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
  const train = join(BUILD, 'brown-train-packed.jsonl');
  const evalFile = join(BUILD, 'brown-eval-packed.jsonl');
  if (!existsSync(train)) console.log(`packed ${await pack(join(ROOT, 'resources/data/brown/train.jsonl'), train)} training blocks of ${BLOCK} tokens`);
  if (!existsSync(evalFile)) console.log(`packed ${await pack(join(ROOT, 'resources/data/brown/eval.jsonl'), evalFile)} eval blocks`);

  const config = {
    name: 'lab-tiny-llama-pretrain',
    model: init,
    method: 'full',
    data: { train, eval: evalFile, max_seq_len: BLOCK },
    train: { steps: STEPS, batch_size: 16, lr: 2e-3, schedule: 'cosine', warmup_steps: 20, weight_decay: 0.01, max_grad_norm: 1.0, seed: 42, eval_every: 100, save_every: 25 },
  };
  const configFile = join(BUILD, 'pretrain.json');
  writeJsonFile(configFile, config, { sort: false });

  // Resume the recorded run if an earlier invocation was interrupted.
  const registry = existsSync(REGISTRY) ? openRegistry(REGISTRY) : null;
  const previous = registry?.runs.list().find((r) => r.name === config.name);
  registry?.close();
  if (previous && previous.status !== 'completed') loralab('resume', String(previous.id));
  else if (!previous) loralab('train', configFile);

  const reg = openRegistry(REGISTRY, { readonly: true });
  const run = reg.runs.list().find((r) => r.name === config.name)!;
  const modelDir = reg.artifacts.forRun(run.id).find((a) => a.kind === 'model')!.path;
  const evalLoss = reg.metrics.forRun(run.id, { names: ['eval_loss'] }).at(-1)?.value;
  reg.close();
  publish(modelDir, run.id, evalLoss ?? null);
}

/** Writes the trained model into resources as float16 (half the bytes; loaded as float32). */
function publish(modelDir: string, runId: number, evalLoss: number | null): void {
  const out = join(ROOT, 'resources', 'models', 'lab-tiny-llama');
  const src = SafetensorsFile.open(join(modelDir, 'model.safetensors'));
  const tensors = [...src.header.tensors.values()].map((t) => ({ name: t.name, dtype: 'F16' as const, shape: t.shape, data: src.readFloat32(t.name) }));
  src.close();
  writeSafetensors(join(out, 'model.safetensors'), tensors);
  writeJsonFile(join(out, 'config.json'), { ...LAB_TINY_LLAMA_CONFIG, torch_dtype: 'float16' });
  writeJsonFile(join(out, 'generation_config.json'), LAB_TINY_LLAMA_GENERATION);
  const params = tensors.reduce((n, t) => n + t.data.length, 0);
  writeFileSync(
    join(out, 'README.md'),
    `# lab-tiny-llama\n\nLoRA Lab's bundled base model: a ${(params / 1e6).toFixed(2)}M-parameter Llama (4 layers, hidden 256,\n` +
      `4 heads / 2 KV heads, SwiGLU 704, RoPE, tied embeddings, vocab 4096 byte-level BPE), pretrained by LoRA Lab\n` +
      `itself (method full, ${STEPS} steps of 16 × ${BLOCK} tokens) on the Brown corpus (resources/data/brown; distributed\n` +
      `with the copyright holder's permission, redistribution permitted).\n\n` +
      `Made by: \`npx tsx scripts/bundled-model/pretrain.ts --steps ${STEPS}\` (run ${runId} of its build registry).\n` +
      `Held-out Brown eval loss: ${evalLoss === null ? 'n/a' : evalLoss.toFixed(4)}. Weights stored as float16.\n\n` +
      `It is a toy: enough English to show fine-tuning move a loss curve, not a useful assistant.\n`,
  );
  console.log(`published ${out} (${params.toLocaleString('en-US')} parameters, eval loss ${evalLoss})`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
