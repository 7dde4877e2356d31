// The step-time ratio side of bench/lora-vs-full.ts: LoRA Lab's LoRA and full
// trainers in one child taking steps in turn (`--child alternate`), the same two
// steps in PyTorch (bench/train_torch.py) in alternating blocks on the same model
// folder and the trainer's first batch, and the report lines that set the two
// LoRA / full ratios side by side. Alternating keeps a load that changes during the
// run from favouring one method. PyTorch's LoRA starts from the trainer's initial
// adapter (its A, B = 0), which a child of this file writes (`--child adapter`), so
// the first loss is the base model's on both sides.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runConfigSchema, type RunConfig } from '../src/shared/config/run-config';
import { selectBackend } from '../src/main/engine/backend';
import { readExamples } from '../src/main/engine/data/jsonl';
import { loadModel } from '../src/main/engine/models/load-model';
import { DataLoader } from '../src/main/engine/train/data-loader';
import { createRng } from '../src/main/engine/train/rng';
import { createTrainable } from '../src/main/engine/train/trainable';
import { runTraining } from '../src/main/engine/train/trainer';
import { runChild } from './memory';
import { median } from './report';
import { runTorchTraining, type TorchTrainResult } from './torch-train';

const THREADS = 2;
const TORCH = { blocks: 3, warmup: 1, runs: 4 };
const OURS = { warmup: 1, runs: 8 };

/** One method's step as the engine's trainer measured it. */
export interface OursStep {
  /** Median seconds per step after the warm-up. */
  stepSeconds: number;
  trainable: number;
  firstLoss: number;
  coresUsed: number;
}

/** What the alternating measurement gives for one side: per method, the timed step seconds. */
export interface Alternated {
  ours: [OursStep, OursStep];
  torch: [TorchTrainResult, TorchTrainResult];
}

/**
 * The step-time ratio, measured so that a machine whose load changes during the run
 * skews both methods alike: LoRA Lab's two trainers run in one child, taking steps
 * in turn (`--child alternate`), and PyTorch's two methods run in alternating blocks
 * of python runs. Configs [lora, full]: same model, data, batch size, seed and lr;
 * PyTorch sees the trainer's first batch (its loader's own order for the seed).
 */
export function alternatedSteps(tmp: string, model: string, [lora, full]: [RunConfig, RunConfig]): Alternated {
  const t = lora.train;
  const first = new DataLoader(readExamples(lora.data.train, null, lora.data.max_seq_len), t.batch_size, t.seed).next();
  const batch = path.join(tmp, 'torch-batch.json');
  writeFileSync(batch, JSON.stringify({ ids: first.map((e) => e.inputIds) }));
  const configFiles = [lora, full].map((c, i) => {
    const file = path.join(tmp, `alternate-config-${i}.json`);
    writeFileSync(file, JSON.stringify(c));
    return file;
  }) as [string, string];
  const adapter = path.join(tmp, 'adapter-init');
  runChild<object>(__filename, ['adapter', configFiles[0], adapter], path.join(adapter, 'adapter_config.json'));
  const resultFile = path.join(tmp, 'alternate.json');
  const ours = runChild<[OursStep, OursStep]>(__filename, ['alternate', ...configFiles, path.join(tmp, 'alternate-runs'), resultFile], resultFile);
  console.error(`tfjs, steps in turn: lora ${ours[0].stepSeconds.toFixed(3)} s, full ${ours[1].stepSeconds.toFixed(3)} s`);

  const blocks: TorchTrainResult[][] = [[], []];
  for (let i = 0; i < TORCH.blocks; i++) {
    [lora, full].forEach((config, j) => {
      const method = config.method === 'lora' ? 'lora' : 'full';
      const r = runTorchTraining({
        method,
        model,
        adapter: method === 'lora' ? adapter : null,
        batch,
        threads: THREADS,
        warmup: TORCH.warmup,
        runs: TORCH.runs,
        lr: config.train.lr,
        maxGradNorm: config.train.max_grad_norm ?? 1.0,
      });
      console.error(`torch ${method}, block ${i + 1}/${TORCH.blocks}: median step ${r.median_s.toFixed(3)} s, cores used ${r.cores_used.toFixed(2)}`);
      blocks[j]!.push(r);
    });
  }
  const merged = blocks.map((rs) => {
    const steps = rs.flatMap((r) => r.step_s);
    const cpu = rs.reduce((n, r) => n + r.cores_used * r.step_s.reduce((a, b) => a + b, 0), 0);
    return { ...rs[0]!, step_s: steps, median_s: median(steps), cores_used: cpu / steps.reduce((a, b) => a + b, 0) };
  }) as [TorchTrainResult, TorchTrainResult];
  return { ours, torch: merged };
}

/** The PyTorch paragraph, a table of both sides' steps, and the ratio line with its pass/fail. */
export function torchLines({ ours, torch }: Alternated): string[] {
  const oursRatio = ours[0].stepSeconds / ours[1].stepSeconds;
  const torchRatio = torch[0].median_s / torch[1].median_s;
  const t = torch[0];
  const n = (x: number) => x.toLocaleString('en-US');
  const row = (label: string, [l, f]: [number, number], cores: [number, number], trainable: [number, number], loss: [number, number]) =>
    `| ${label} | ${l.toFixed(3)} | ${f.toFixed(3)} | **${(l / f).toFixed(3)}×** | ${cores.map((c) => c.toFixed(2)).join(', ')} | ` +
    `${trainable.map(n).join(', ')} | ${loss.map((x) => x.toFixed(6)).join(', ')} |`;
  return [
    '',
    'The LoRA / full step-time ratio, both sides in the same run and each measured so that load changing during the run skews ' +
      `both methods alike. LoRA Lab: the two trainers (the configs above) in one child process, taking steps in turn; ` +
      `median of ${OURS.runs} steps each after ${OURS.warmup} warm-up step, each step timed from getting its turn to its \`onStep\`. ` +
      `PyTorch (bench/train_torch.py: the Llama forward of bench/forward_torch.py; PyTorch ${t.torch}, ${t.num_threads} threads, ` +
      'OpenBLAS with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset): the same model folder and the trainer\'s first batch (its loader\'s ' +
      'order for the seed) in every step, AdamW at the same lr, clipping at 1.0; lora: the trainer\'s initial adapter (its A, B = 0) with ' +
      `the base weights requires_grad=False; full: every weight a trainable leaf; ${TORCH.blocks} alternating blocks per method of ` +
      `${TORCH.runs} timed steps after ${TORCH.warmup} warm-up step, median of all ${TORCH.blocks * TORCH.runs}. ` +
      '"Step 1 loss" is the loss before any update on the trainer\'s first batch: the same model gives the same number on both sides.',
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

/**
 * Child: the lora and full trainers in one process, one step each in turn. Each
 * runTraining awaits its onStep hook, so holding that promise until the other
 * trainer has taken its step makes them alternate; a step is timed from getting
 * the turn to its onStep. Writes [lora, full] as OursStep.
 */
async function alternateChild(loraFile: string, fullFile: string, outDir: string, resultFile: string): Promise<void> {
  const { tf } = await selectBackend({ prefer: 'wasm' });
  const configs = [loraFile, fullFile].map((f) => {
    const c = runConfigSchema.parse(JSON.parse(readFileSync(f, 'utf8')));
    return { ...c, train: { ...c.train, steps: OURS.warmup + OURS.runs } };
  });
  let turn = 0;
  const waiting: ((() => void) | null)[] = [null, null];
  const takeTurn = (i: number) => (turn === i ? Promise.resolve() : new Promise<void>((resolve) => (waiting[i] = resolve)));
  const passTurn = (i: number) => {
    turn = 1 - i;
    const w = waiting[turn];
    waiting[turn] = null;
    w?.();
  };
  const runs = configs.map(async (config, i) => {
    const seconds: number[] = [];
    const losses: number[] = [];
    let trainable = 0;
    let cpu = 0;
    let started = 0;
    let cpu0 = process.cpuUsage();
    await takeTurn(i);
    await runTraining(tf, { config, outputDir: path.join(outDir, String(i)), resumeFrom: null, initFrom: null }, {
      onStart: (info) => {
        trainable = info.trainableParams;
        started = performance.now();
        cpu0 = process.cpuUsage();
      },
      onStep: async ({ step, loss }) => {
        const c = process.cpuUsage(cpu0);
        seconds.push((performance.now() - started) / 1000);
        if (step > OURS.warmup) cpu += (c.user + c.system) / 1e6;
        losses.push(loss);
        passTurn(i);
        // The last step hands the turn on for good: the other trainer may still have steps to take.
        if (step < config.train.steps) await takeTurn(i);
        started = performance.now();
        cpu0 = process.cpuUsage();
      },
      shouldStop: () => false,
    });
    const timed = seconds.slice(OURS.warmup);
    return { stepSeconds: median(timed), trainable, firstLoss: losses[0]!, coresUsed: cpu / timed.reduce((a, b) => a + b, 0) };
  });
  writeFileSync(resultFile, JSON.stringify(await Promise.all(runs)));
}

if (require.main === module) {
  const [flag, kind, ...args] = process.argv.slice(2);
  const [a, b, c, d] = args as [string, string, string, string];
  const run =
    flag === '--child' && kind === 'adapter' && args.length === 2
      ? adapterChild(a, b)
      : flag === '--child' && kind === 'alternate' && args.length === 4
        ? alternateChild(a, b, c, d)
        : null;
  if (!run) {
    console.error('not an entry point: bench/lora-vs-full.ts runs this file as a child (--child adapter <config.json> <adapter-dir> | --child alternate <lora.json> <full.json> <out-dir> <result.json>)');
    process.exit(1);
  }
  run.catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
}
