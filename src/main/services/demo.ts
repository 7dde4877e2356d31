// The bundled demo's run config: LoRA on lab-tiny-llama (pretrained on the Brown
// corpus and on prose that reads numbers out, never in the chat format; see
// scripts/bundled-model/pretrain.ts) learning to answer "Write 4721 in words." from chat-shaped rows, and
// how the demo judges it: exact-match answers to the first held-out prompts.
import { join } from 'node:path';
import { runConfigSchema, type RunConfig } from '../../shared/config/run-config';
import { resourcesDir } from './paths';

export const DEMO_STEPS = 120;

/** Held-out prompts answered greedily before and after training (the first rows of eval.jsonl). */
export const DEMO_EXACT_MATCH = { limit: 50, maxNewTokens: 24 };

export const demoEvalFile = (resources = resourcesDir()): string => join(resources, 'data', 'demo-numbers', 'eval.jsonl');

export function demoConfig(steps = DEMO_STEPS, resources = resourcesDir()): RunConfig {
  return runConfigSchema.parse({
    name: 'demo: numbers in words',
    model: join(resources, 'models', 'lab-tiny-llama'),
    method: 'lora',
    lora: { r: 8, alpha: 16, dropout: 0.05, targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] },
    data: { train: join(resources, 'data', 'demo-numbers', 'train.jsonl'), eval: demoEvalFile(resources), max_seq_len: 64 },
    train: { steps, batch_size: 16, lr: 3e-3, schedule: 'cosine', warmup_steps: 10, eval_every: steps, save_every: steps, seed: 42 },
  });
}
