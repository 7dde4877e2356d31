// The bundled demo's run config: LoRA on lab-tiny-llama (pretrained by LoRA Lab on
// the Brown corpus) learning to write numbers in words from chat-shaped rows.
import { join } from 'node:path';
import { runConfigSchema, type RunConfig } from '../../shared/config/run-config';
import { resourcesDir } from './paths';

export const DEMO_PROMPTS = ['Write 4721 in words.', 'Write 86 in words.'];

export function demoConfig(steps: number, resources = resourcesDir()): RunConfig {
  return runConfigSchema.parse({
    name: 'demo: numbers in words',
    model: join(resources, 'models', 'lab-tiny-llama'),
    method: 'lora',
    lora: { r: 8, alpha: 16, dropout: 0.05, targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] },
    data: { train: join(resources, 'data', 'demo-numbers', 'train.jsonl'), eval: join(resources, 'data', 'demo-numbers', 'eval.jsonl'), max_seq_len: 64 },
    train: { steps, batch_size: 16, lr: 3e-3, schedule: 'cosine', warmup_steps: 10, eval_every: steps, save_every: steps, seed: 42 },
  });
}
