// The launch side of a job folder: accelerate's config file (the format
// `accelerate config` writes, read by `accelerate launch --config_file`), a
// DeepSpeed JSON for the ZeRO strategies, pinned requirements and launch.sh.
//
// DeepSpeed values are "auto" where transformers fills them from
// TrainingArguments (transformers/integrations/deepspeed.py
// HfTrainerDeepSpeedConfig.trainer_config_process): batch sizes, accumulation,
// clipping and precision stay the ones train.py sets. No "optimizer" or
// "scheduler" section, so Trainer's own AdamW and LoRA Lab's schedule are used.
import { stringify } from 'yaml';
import type { Strategy } from '../hf-settings';

export const DEEPSPEED_FILE = 'deepspeed.json';
export const ACCELERATE_FILE = 'accelerate_config.yaml';

/**
 * One set from the same weeks of April 2025 (torch 2.6 and the Hugging Face
 * releases built and tested against it).
 */
export const PINNED = {
  torch: '2.6.0',
  transformers: '4.51.3',
  peft: '0.15.2',
  accelerate: '1.6.0',
  safetensors: '0.5.3',
  jinja2: '3.1.6',
  bitsandbytes: '0.45.5',
  deepspeed: '0.16.7',
} as const;

// accelerate reads the file with PyYAML (YAML 1.1), where a bare `no` is False:
// every string is quoted, as `accelerate config` writes mixed_precision: 'no'.
const yaml = (value: Record<string, unknown>): string => stringify(value, { defaultStringType: 'QUOTE_SINGLE', defaultKeyType: 'PLAIN' });

export function accelerateConfig(strategy: Strategy, gpus: number): string {
  const base: Record<string, unknown> = {
    compute_environment: 'LOCAL_MACHINE',
    debug: false,
    machine_rank: 0,
    main_training_function: 'main',
    num_machines: 1,
    num_processes: gpus,
    rdzv_backend: 'static',
    same_network: true,
    use_cpu: false,
  };
  // float32 throughout, as LoRA Lab trains. With a deepspeed_config_file, accelerate
  // refuses a mixed_precision key (accelerate/utils/dataclasses.py
  // DeepSpeedPlugin._deepspeed_config_checks): there the JSON's "auto" precision says it.
  if (strategy === 'ddp') {
    return yaml({ ...base, mixed_precision: 'no', distributed_type: gpus > 1 ? 'MULTI_GPU' : 'NO', gpu_ids: 'all', downcast_bf16: 'no' });
  }
  if (strategy === 'fsdp') {
    return yaml({
      ...base,
      mixed_precision: 'no',
      distributed_type: 'FSDP',
      fsdp_config: {
        // Wraps each decoder layer; accelerate takes the layer class from the model's _no_split_modules.
        fsdp_auto_wrap_policy: 'TRANSFORMER_BASED_WRAP',
        fsdp_backward_prefetch: 'BACKWARD_PRE',
        fsdp_cpu_ram_efficient_loading: true,
        fsdp_forward_prefetch: false,
        fsdp_offload_params: false,
        // FSDP1 full sharding, as accelerate 1.6's `accelerate config` writes it
        // (fsdp_reshard_after_forward replaced fsdp_sharding_strategy there).
        fsdp_version: 1,
        fsdp_reshard_after_forward: 'FULL_SHARD',
        fsdp_state_dict_type: 'SHARDED_STATE_DICT',
        fsdp_sync_module_states: true,
        // PEFT's FSDP recipe (peft docs/source/accelerate/fsdp.md): use_orig_params false
        // saves the memory, and train.py then wraps trainable and frozen weights
        // separately with peft.utils.other.fsdp_auto_wrap_policy.
        fsdp_use_orig_params: false,
      },
    });
  }
  return yaml({
    ...base,
    distributed_type: 'DEEPSPEED',
    deepspeed_config: {
      deepspeed_config_file: DEEPSPEED_FILE,
      deepspeed_multinode_launcher: 'standard',
      zero3_init_flag: strategy === 'deepspeed-zero3',
    },
  });
}

export function deepspeedConfig(strategy: Strategy): Record<string, unknown> | null {
  if (strategy !== 'deepspeed-zero2' && strategy !== 'deepspeed-zero3') return null;
  const zero3 = strategy === 'deepspeed-zero3';
  return {
    zero_optimization: {
      stage: zero3 ? 3 : 2,
      overlap_comm: true,
      contiguous_gradients: true,
      reduce_bucket_size: 'auto',
      ...(zero3
        ? {
            stage3_prefetch_bucket_size: 'auto',
            stage3_param_persistence_threshold: 'auto',
            // save_model gathers the partitioned weights so the adapter is written whole.
            stage3_gather_16bit_weights_on_model_save: true,
          }
        : { allgather_bucket_size: 5e8 }),
    },
    train_batch_size: 'auto',
    train_micro_batch_size_per_gpu: 'auto',
    gradient_accumulation_steps: 'auto',
    gradient_clipping: 'auto',
    bf16: { enabled: 'auto' },
    fp16: { enabled: 'auto' },
    steps_per_print: 1_000_000,
    wall_clock_breakdown: false,
  };
}

export function requirementsTxt(strategy: Strategy, qlora: boolean): string {
  const lines = [
    '# Pinned: one set released together (April 2025). pip install -r requirements.txt',
    `torch==${PINNED.torch}`,
    `transformers==${PINNED.transformers}`,
    `peft==${PINNED.peft}`,
    `accelerate==${PINNED.accelerate}`,
    `safetensors==${PINNED.safetensors}`,
    `jinja2==${PINNED.jinja2}  # chat templates (apply_chat_template)`,
  ];
  if (qlora) lines.push(`bitsandbytes==${PINNED.bitsandbytes}  # NF4 (QLoRA)`);
  if (strategy.startsWith('deepspeed')) lines.push(`deepspeed==${PINNED.deepspeed}`);
  return lines.join('\n') + '\n';
}

export function launchSh(): string {
  return `#!/usr/bin/env bash
# Trains the job on this machine's GPUs: accelerate starts one process per GPU
# (num_processes in ${ACCELERATE_FILE}). Extra arguments go to train.py,
# e.g. ./launch.sh --max-steps 10
set -euo pipefail
cd "$(dirname "$0")"
exec accelerate launch --config_file ${ACCELERATE_FILE} train.py "$@"
`;
}
