// A LoRA Lab run config → the keyword arguments of the Hugging Face objects the
// exported train.py builds: LoraConfig / AdaLoraConfig (peft), BitsAndBytesConfig
// and TrainingArguments (transformers). key-map.ts documents each key; this file
// applies it, and collects every value the Hugging Face stack cannot express as a
// refusal naming its config path, so an export either matches the run or says why not.
import { methodInfo } from '../../../shared/config/methods';
import { peftCommonKwargs } from '../../../shared/config/peft-mapping';
import { quantSchema } from '../../../shared/config/quant';
import type { RunConfig } from '../../../shared/config/run-config';
import { CLUSTER_STRATEGIES, type ClusterStrategy } from '../../../shared/ipc/cluster-schemas';
import { LoraLabError } from '../../../shared/ipc/result';
import { py, type PyValue } from './templates/python-literal';

export const STRATEGIES = CLUSTER_STRATEGIES;
export type Strategy = ClusterStrategy;

/** bitsandbytes' 4-bit block size: Params4bit(blocksize=64), not settable through BitsAndBytesConfig. */
export const BNB_4BIT_BLOCKSIZE = 64;

export interface HfSettings {
  /** "LoraConfig", "AdaLoraConfig", or null for full fine-tuning. */
  peftClass: 'LoraConfig' | 'AdaLoraConfig' | null;
  peft: Record<string, PyValue>;
  bnb: Record<string, PyValue> | null;
  trainingArgs: Record<string, PyValue>;
  maxSeqLen: number;
  adalora: boolean;
  /** The adapter folder train.py continues from (copied into the job), or null. */
  initFrom: boolean;
}

export class ExportRefusedError extends LoraLabError {
  constructor(readonly refusals: { path: string; message: string }[]) {
    super('VALIDATION', `cannot export this run to Hugging Face:\n${refusals.map((r) => `  config.${r.path}: ${r.message}`).join('\n')}`, refusals.map((r) => ({ path: `config.${r.path}`, message: r.message })));
  }
}

export function hfSettings(config: RunConfig, strategy: Strategy, options: { initFrom: boolean } = { initFrom: false }): HfSettings {
  const refusals: { path: string; message: string }[] = [];
  const refuse = (path: string, message: string) => refusals.push({ path, message });
  const t = config.train;
  const info = methodInfo(config.method);

  if (info.budgetedRank && strategy !== 'ddp') {
    refuse('method', `${config.method} needs --strategy ddp: update_and_allocate reads the gradients between backward and zero_grad, which ${strategy} does not leave to a Trainer callback`);
  }
  if (info.peft === null && options.initFrom) refuse('init_from', `init_from continues an adapter; method ${config.method} has none`);

  let peftClass: HfSettings['peftClass'] = null;
  let peft: Record<string, PyValue> = {};
  if (info.peft) {
    const own = info.peft.kwargs(config);
    own.refusals.forEach((r) => refuse(r.path.join('.'), r.message));
    peftClass = info.peft.configClass;
    peft = { ...own.kwargs, ...peftCommonKwargs(config) };
  }

  let bnb: Record<string, PyValue> | null = null;
  if (info.quantizedBase) {
    const q = config.quant ?? quantSchema.parse({});
    if (q.block_size !== BNB_4BIT_BLOCKSIZE) {
      refuse('quant.block_size', `${q.block_size} is not available: bitsandbytes quantizes 4-bit weights in blocks of ${BNB_4BIT_BLOCKSIZE} and BitsAndBytesConfig cannot change it; use 64`);
    }
    bnb = {
      load_in_4bit: true,
      bnb_4bit_quant_type: q.type,
      bnb_4bit_use_double_quant: q.double_quant,
      bnb_4bit_compute_dtype: py('torch.float32'),
    };
    // Sharded strategies flatten the 4-bit storage with the other weights: one dtype
    // for all (PEFT's "QLoRA with FSDP / DeepSpeed ZeRO-3" guide).
    if (strategy === 'fsdp' || strategy === 'deepspeed-zero3') bnb.bnb_4bit_quant_storage = py('torch.float32');
  }

  const evalSet = config.data.eval !== null;
  const trainingArgs: Record<string, PyValue> = {
    output_dir: py('str(OUTPUT / "checkpoints")'),
    run_name: config.name,
    max_steps: t.steps,
    per_device_train_batch_size: t.batch_size,
    per_device_eval_batch_size: t.batch_size,
    gradient_accumulation_steps: t.grad_accum,
    average_tokens_across_devices: true,
    learning_rate: t.lr,
    lr_scheduler_type: t.schedule === 'constant' && t.warmup_steps > 0 ? 'constant_with_warmup' : t.schedule,
    warmup_steps: t.warmup_steps,
    weight_decay: t.weight_decay,
    optim: 'adamw_torch',
    adam_beta1: 0.9,
    adam_beta2: 0.999,
    adam_epsilon: 1e-8,
    max_grad_norm: t.max_grad_norm ?? 0.0,
    seed: t.seed,
    data_seed: t.seed,
    eval_strategy: evalSet && t.eval_every ? 'steps' : 'no',
    ...(evalSet && t.eval_every ? { eval_steps: t.eval_every, eval_on_start: true } : {}),
    save_strategy: t.save_every ? 'steps' : 'no',
    ...(t.save_every ? { save_steps: t.save_every } : {}),
    save_safetensors: true,
    logging_strategy: 'steps',
    logging_steps: 1,
    report_to: 'none',
    remove_unused_columns: false,
    dataloader_drop_last: false,
  };
  if (refusals.length) throw new ExportRefusedError(refusals);
  return { peftClass, peft, bnb, trainingArgs, maxSeqLen: config.data.max_seq_len, adalora: info.budgetedRank, initFrom: options.initFrom };
}
