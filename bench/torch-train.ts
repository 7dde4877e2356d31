// Runs bench/train_torch.py (one PyTorch training step as the engine's trainer takes
// it, LoRA or full fine-tuning) in a child python and returns what it measured.
// PyTorch gets THREADS threads with OpenBLAS; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
// are unset for the child only (the machine sets them for other programs, and with
// them OpenBLAS picks slower kernels). Not an entry point: imported by bench/train.ts
// and bench/lora-vs-full-torch.ts.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { TorchEnvironment } from './report';

export const PYTHON = '/usr/bin/python3';

export interface TorchTrainResult extends TorchEnvironment {
  method: 'lora' | 'full';
  trainable: number;
  losses: number[];
  grad_norms: number[];
  step_s: number[];
  median_s: number;
  forward_median_s: number;
  backward_median_s: number;
  cores_used: number;
  tokens_per_s: number;
}

export interface TorchTrainOptions {
  method: 'lora' | 'full';
  model: string;
  /** The engine's initial adapter folder (method lora); null for full. */
  adapter: string | null;
  /** {"ids": [[...]]}: the batch every timed step sees. */
  batch: string;
  threads: number;
  warmup: number;
  runs: number;
  lr: number;
  maxGradNorm: number;
}

export function runTorchTraining(o: TorchTrainOptions): TorchTrainResult {
  if (o.method === 'lora' && !o.adapter) throw new Error('runTorchTraining: method lora needs the initial adapter folder');
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(o.threads), OPENBLAS_NUM_THREADS: String(o.threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const script = path.join(__dirname, 'train_torch.py');
  const args = [
    script, o.model, o.adapter ?? '-', o.batch,
    '--method', o.method, '--threads', String(o.threads), '--warmup', String(o.warmup), '--runs', String(o.runs),
    '--lr', String(o.lr), '--max-grad-norm', String(o.maxGradNorm),
  ];
  const r = spawnSync(PYTHON, args, { env, encoding: 'utf8', maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.error) throw new Error(`could not run ${PYTHON}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${PYTHON} ${path.basename(script)} --method ${o.method} failed (exit ${r.status})`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as TorchTrainResult;
}
