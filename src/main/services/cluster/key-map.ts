// Every LoRA Lab run-config key and what it becomes in the exported Hugging Face
// job: a PEFT LoraConfig / AdaLoraConfig field, a transformers BitsAndBytesConfig
// or TrainingArguments field, or code in train.py — or, for values the Hugging Face
// stack cannot express, a refusal with the reason (hf-settings.ts enforces them).
// docs/CLUSTER.md shows this table; key-map.test.ts walks the zod schema and fails
// on any key missing here or in the doc.
//
// Sources for the names and defaults: peft/tuners/lora/config.py (LoraConfig),
// peft/tuners/adalora/config.py (AdaLoraConfig), transformers/training_args.py
// (TrainingArguments), transformers/utils/quantization_config.py (BitsAndBytesConfig).

export interface KeyMapping {
  /** Dotted config path, e.g. "train.lr". */
  path: string;
  /** What it becomes, e.g. "TrainingArguments.learning_rate". */
  target: string;
  /** Why, and where the two stacks differ. */
  note: string;
  /** Values that are refused, and why (enforced in hf-settings.ts). */
  refused?: string;
}

export const KEY_MAP: readonly KeyMapping[] = [
  { path: 'name', target: 'TrainingArguments.run_name', note: 'Also the job folder README title.' },
  {
    path: 'model',
    target: 'AutoModelForCausalLM.from_pretrained(MODEL)',
    note: 'The folder path as written, or `--model` at export (a path on the cluster or a Hub id); `--copy-model` copies the folder into the job.',
  },
  {
    path: 'method',
    target: 'lora → LoraConfig; qlora → LoraConfig + BitsAndBytesConfig(load_in_4bit=True) + prepare_model_for_kbit_training; adalora → AdaLoraConfig + update_and_allocate each step; full → no PEFT, every weight trains',
    note: 'full saves a whole model folder (save_pretrained) instead of an adapter.',
    refused:
      'adalora with deepspeed-zero2, deepspeed-zero3 or fsdp: update_and_allocate needs the gradients between backward and zero_grad (peft/tuners/adalora/layer.py RankAllocator.update_ipt); under DeepSpeed, accelerate steps the optimizer inside backward (accelerate/utils/deepspeed.py DeepSpeedEngineWrapper.backward), so no Trainer callback sees them, and FSDP holds only a shard of each.',
  },
  { path: 'lora.r', target: 'LoraConfig.r', note: 'AdaLoRA ignores r (PEFT warns too): its ranks start at adalora.init_r.' },
  { path: 'lora.alpha', target: 'LoraConfig.lora_alpha / AdaLoraConfig.lora_alpha', note: 'Scaling alpha/r (alpha/√r with rslora); AdaLoRA scales by alpha/(ranknum+1e-5).' },
  { path: 'lora.dropout', target: 'LoraConfig.lora_dropout / AdaLoraConfig.lora_dropout', note: 'Dropout on the adapter input only, as in PEFT.' },
  {
    path: 'lora.targets',
    target: 'LoraConfig.target_modules / AdaLoraConfig.target_modules',
    note: 'A list (exact name or dotted suffix), one regular expression string (full match) or "all-linear" pass through unchanged; null → None, PEFT\'s per-architecture defaults (peft/utils/constants.py).',
  },
  {
    path: 'lora.rslora',
    target: 'LoraConfig.use_rslora',
    note: 'Rank-stabilized scaling alpha/√r (Kalajdzievski 2023).',
    refused: 'true with method adalora: AdaLoraLayer scales by alpha/ranknum and never reads use_rslora.',
  },
  { path: 'adalora.init_r', target: 'AdaLoraConfig.init_r', note: 'Initial rank of every adapted matrix.' },
  { path: 'adalora.target_r', target: 'AdaLoraConfig.target_r', note: 'Average rank the budget is cut down to.' },
  { path: 'adalora.tinit', target: 'AdaLoraConfig.tinit', note: 'Steps before the first budget cut.', refused: 'tinit ≥ train.steps − tfinal: PEFT raises "The supplied schedule values don\'t allow for a budgeting phase".' },
  { path: 'adalora.tfinal', target: 'AdaLoraConfig.tfinal', note: 'Final steps with the ranks frozen.' },
  { path: 'adalora.delta_t', target: 'AdaLoraConfig.deltaT', note: 'Steps between budget allocations (PEFT spells it deltaT).' },
  { path: 'adalora.beta1', target: 'AdaLoraConfig.beta1', note: 'EMA of the sensitivity.' },
  { path: 'adalora.beta2', target: 'AdaLoraConfig.beta2', note: 'EMA of the uncertainty.' },
  {
    path: 'adalora.orth_reg_weight',
    target: 'AdaLoraConfig.orth_reg_weight',
    note: 'Added to the training loss by AdaLoraModel.forward.',
    refused: '0: peft 0.15.2 AdaLoraModel.forward raises "orth_reg_weight should be greater than 0" whenever labels are given.',
  },
  { path: 'quant.type', target: 'BitsAndBytesConfig.bnb_4bit_quant_type="nf4"', note: 'NF4, the QLoRA data type; compute dtype float32 as LoRA Lab computes.' },
  { path: 'quant.double_quant', target: 'BitsAndBytesConfig.bnb_4bit_use_double_quant', note: 'Second-level 8-bit quantization of the absmax values in blocks of 256, as LoRA Lab does.' },
  {
    path: 'quant.block_size',
    target: '(fixed 64 in bitsandbytes)',
    note: 'bitsandbytes quantizes 4-bit weights in blocks of 64 (bitsandbytes/nn/modules.py Params4bit blocksize=64); BitsAndBytesConfig has no field to change it.',
    refused: 'any value but 64: the Hugging Face stack cannot express it.',
  },
  { path: 'data.train', target: 'train_dataset (data/train.jsonl)', note: 'Copied into the job (or its path kept with `--data-paths`); every row shape encoded as LoRA Lab does (train.py encode_row).' },
  { path: 'data.eval', target: 'eval_dataset (data/eval.jsonl)', note: 'null → no evaluation. eval_loss is the token-weighted mean over the whole file, as LoRA Lab computes it (not Trainer\'s mean of batch means).' },
  { path: 'data.max_seq_len', target: 'truncation in encode_row: min(max_seq_len, config.max_position_embeddings)', note: 'Rows are cut, not dropped, as in LoRA Lab.' },
  { path: 'train.steps', target: 'TrainingArguments.max_steps (+ AdaLoraConfig.total_step)', note: 'Optimizer steps; the data repeats as needed.' },
  { path: 'train.batch_size', target: 'TrainingArguments.per_device_train_batch_size / per_device_eval_batch_size', note: 'Per GPU: with N GPUs a step sees N× the rows (the README says so).' },
  { path: 'train.grad_accum', target: 'TrainingArguments.gradient_accumulation_steps', note: 'The step loss is the mean over all learned tokens of the step (average_tokens_across_devices=True), as in LoRA Lab.' },
  { path: 'train.lr', target: 'TrainingArguments.learning_rate', note: 'Peak rate; optim="adamw_torch" with betas (0.9, 0.999), eps 1e-8, LoRA Lab\'s AdamW.' },
  { path: 'train.schedule', target: 'TrainingArguments.lr_scheduler_type', note: 'constant (constant_with_warmup when warmup_steps > 0), linear, cosine: the same functions of the step (transformers/optimization.py).' },
  { path: 'train.warmup_steps', target: 'TrainingArguments.warmup_steps', note: 'Linear warmup from 0.' },
  { path: 'train.weight_decay', target: 'TrainingArguments.weight_decay', note: 'Decoupled (AdamW). Trainer exempts biases and norm weights; LoRA matrices have neither, so LoRA runs match; full runs decay fewer tensors.' },
  { path: 'train.max_grad_norm', target: 'TrainingArguments.max_grad_norm', note: 'null → 0.0, which turns clipping off (Trainer then logs no grad_norm).' },
  { path: 'train.seed', target: 'TrainingArguments.seed and data_seed', note: 'Seeds init, dropout and the data order; PyTorch\'s RNG differs from LoRA Lab\'s, so runs agree in distribution, not bit for bit.' },
  { path: 'train.eval_every', target: 'TrainingArguments.eval_strategy="steps", eval_steps, eval_on_start=True', note: 'null → eval_strategy="no" (LoRA Lab then evaluates once at step 0; the job does not).' },
  { path: 'train.save_every', target: 'TrainingArguments.save_strategy="steps", save_steps', note: 'null → save_strategy="no"; the final adapter is always saved to output/adapter.' },
  {
    path: 'init_from',
    target: 'PeftModel.from_pretrained(model, "init_adapter", is_trainable=True)',
    note: 'The adapter (a run id\'s adapter or a folder) is copied to init_adapter/; its own r, alpha and targets win, as in LoRA Lab.',
    refused: 'with method full (it has no adapter to continue), or an adapter of another type than the method trains (LORA for lora/qlora, ADALORA for adalora).',
  },
];

export const keyMapping = (path: string): KeyMapping | undefined => KEY_MAP.find((k) => k.path === path);
