// The PyTorch side of bench/lora-vs-full.ts: the same LoRA step and full
// fine-tuning step in PyTorch (bench/train_torch.py) on the same model folder and
// the trainer's first batch, and the report lines that set the two LoRA / full
// step-time ratios side by side. LoRA starts from the trainer's initial adapter
// (its A, B = 0), which a child of this file writes (`--child adapter`), so the
// first loss is the base model's on both sides.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runConfigSchema, type RunConfig } from '../src/shared/config/run-config';
import { selectBackend } from '../src/main/engine/backend';
import { readExamples } from '../src/main/engine/data/jsonl';
import { loadModel } from '../src/main/engine/models/load-model';
import { DataLoader } from '../src/main/engine/train/data-loader';
import { createRng } from '../src/main/engine/train/rng';
import { createTrainable } from '../src/main/engine/train/trainable';
import { runChild } from './memory';
import { runTorchTraining, type TorchTrainResult } from './torch-train';

const THREADS = 2;
const TORCH = { warmup: 2, runs: 10 };

/** One method's step as the engine's trainer measured it. */
export interface OursStep {
  /** Median seconds per step after the warm-up. */
  stepSeconds: number;
  trainable: number;
  firstLoss: number;
  coresUsed: number;
}

/**
 * PyTorch's LoRA and full steps for the trainer configs [lora, full] (same model,
 * data, batch size, seed and lr), on the trainer's first batch: its loader's own
 * order for the seed.
 */
export function torchSteps(tmp: string, model: string, [lora, full]: [RunConfig, RunConfig]): [TorchTrainResult, TorchTrainResult] {
  const t = lora.train;
  const first = new DataLoader(readExamples(lora.data.train, null, lora.data.max_seq_len), t.batch_size, t.seed).next();
  const batch = path.join(tmp, 'torch-batch.json');
  writeFileSync(batch, JSON.stringify({ ids: first.map((e) => e.inputIds) }));
  const configFile = path.join(tmp, 'lora-config.json');
  writeFileSync(configFile, JSON.stringify(lora));
  const adapter = path.join(tmp, 'adapter-init');
  runChild<object>(__filename, ['adapter', configFile, adapter], path.join(adapter, 'adapter_config.json'));
  return [lora, full].map((config) => {
    const method = config.method === 'lora' ? 'lora' : 'full';
    const r = runTorchTraining({
      method,
      model,
      adapter: method === 'lora' ? adapter : null,
      batch,
      threads: THREADS,
      ...TORCH,
      lr: config.train.lr,
      maxGradNorm: config.train.max_grad_norm ?? 1.0,
    });
    console.error(`torch ${method}: median step ${r.median_s.toFixed(3)} s, cores used ${r.cores_used.toFixed(2)}, ${r.trainable} trainable`);
    return r;
  }) as [TorchTrainResult, TorchTrainResult];
}

/** The PyTorch paragraph, a table of both sides' steps, and the ratio line with its pass/fail. */
export function torchLines(ours: [OursStep, OursStep], torch: [TorchTrainResult, TorchTrainResult]): string[] {
  const oursRatio = ours[0].stepSeconds / ours[1].stepSeconds;
  const torchRatio = torch[0].median_s / torch[1].median_s;
  const t = torch[0];
  const n = (x: number) => x.toLocaleString('en-US');
  const row = (label: string, [l, f]: [number, number], cores: [number, number], trainable: [number, number], loss: [number, number]) =>
    `| ${label} | ${l.toFixed(3)} | ${f.toFixed(3)} | **${(l / f).toFixed(3)}×** | ${cores.map((c) => c.toFixed(2)).join(', ')} | ` +
    `${trainable.map(n).join(', ')} | ${loss.map((x) => x.toFixed(6)).join(', ')} |`;
  return [
    '',
    `PyTorch in the same run (bench/train_torch.py: the Llama forward of bench/forward_torch.py; PyTorch ${t.torch}, ${t.num_threads} threads, ` +
      'OpenBLAS with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset): the same model folder and the trainer\'s first batch (its loader\'s order ' +
      'for the seed) in every step, AdamW at the same lr, clipping at 1.0; lora: the trainer\'s initial adapter (its A, B = 0) with the base ' +
      `weights requires_grad=False; full: every weight a trainable leaf; median of ${TORCH.runs} steps after ${TORCH.warmup} warm-up steps. ` +
      '"Step 1 loss" is the loss before any update, on the trainer\'s first batch on both sides: the same model gives the same number.',
    '',
    '| | lora s / step | full s / step | lora / full | cores used (lora, full) | trainable (lora, full) | step 1 loss (lora, full) |',
    '|---|---|---|---|---|---|---|',
    row(
      'LoRA Lab (tfjs, wasm)',
      [ours[0].stepSeconds, ours[1].stepSeconds],
      [ours[0].coresUsed, ours[1].coresUsed],
      [ours[0].trainable, ours[1].trainable],
      [ours[0].firstLoss, ours[1].firstLoss],
    ),
    row(`PyTorch ${t.torch}`, [torch[0].median_s, torch[1].median_s], [torch[0].cores_used, torch[1].cores_used], [torch[0].trainable, torch[1].trainable], [
      torch[0].losses[0]!,
      torch[1].losses[0]!,
    ]),
    '',
    `- LoRA / full step time: LoRA Lab **${oursRatio.toFixed(3)}×**, PyTorch **${torchRatio.toFixed(3)}×**; ours ≤ PyTorch's: ` +
      `**${oursRatio <= torchRatio ? 'yes' : 'no'}** (LoRA saves ${pct(1 - oursRatio)} of a full step here, ${pct(1 - torchRatio)} in PyTorch)`,
  ];
}

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

/** Child: the trainable the trainer builds from this config and seed, saved as a PEFT adapter folder. */
async function adapterChild(configFile: string, adapterDir: string): Promise<void> {
  const { tf } = await selectBackend({ prefer: 'wasm' });
  const config = runConfigSchema.parse(JSON.parse(readFileSync(configFile, 'utf8')));
  const loaded = loadModel(tf, config.model);
  const trainable = createTrainable(tf, loaded, config, null, createRng(config.train.seed));
  mkdirSync(adapterDir, { recursive: true });
  trainable.save(adapterDir);
  trainable.dispose();
  loaded.model.dispose();
}

if (require.main === module) {
  const [flag, kind, configFile, adapterDir] = process.argv.slice(2);
  if (flag !== '--child' || kind !== 'adapter' || !configFile || !adapterDir) {
    console.error('not an entry point: bench/lora-vs-full.ts runs this file as its adapter child (--child adapter <config.json> <adapter-dir>)');
    process.exit(1);
  }
  adapterChild(configFile, adapterDir).catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
}
