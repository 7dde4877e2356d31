// The settings each config key becomes, and the refusals that name their key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runConfigSchema, type RunConfigInput } from '../../../shared/config/run-config';
import { ExportRefusedError, hfSettings } from './hf-settings';
import { py } from './templates/python-literal';

const cfg = (over: Partial<RunConfigInput> = {}) => runConfigSchema.parse({ name: 'r', model: '/m', data: { train: '/d/train.jsonl' }, ...over });

test('LoRA keys become LoraConfig fields with PEFT names', () => {
  const s = hfSettings(cfg({ lora: { r: 4, alpha: 32, dropout: 0.1, targets: ['q_proj', 'v_proj'], rslora: true } }), 'ddp');
  assert.equal(s.peftClass, 'LoraConfig');
  assert.deepEqual(s.peft, { r: 4, lora_alpha: 32, lora_dropout: 0.1, target_modules: ['q_proj', 'v_proj'], bias: 'none', task_type: 'CAUSAL_LM', use_rslora: true });
  assert.equal(s.bnb, null);
  assert.equal(hfSettings(cfg({ lora: { targets: '.*\\.(q|v)_proj' } }), 'ddp').peft.target_modules, '.*\\.(q|v)_proj');
  assert.equal(hfSettings(cfg(), 'ddp').peft.target_modules, null);
});

test('AdaLoRA keys become AdaLoraConfig fields (delta_t → deltaT, total_step = train.steps)', () => {
  const s = hfSettings(
    cfg({ method: 'adalora', adalora: { init_r: 10, target_r: 4, tinit: 5, tfinal: 7, delta_t: 3, beta1: 0.8, beta2: 0.9, orth_reg_weight: 0.2 }, train: { steps: 50 } }),
    'ddp',
  );
  assert.equal(s.peftClass, 'AdaLoraConfig');
  assert.equal(s.adalora, true);
  for (const [k, v] of Object.entries({ init_r: 10, target_r: 4, tinit: 5, tfinal: 7, deltaT: 3, beta1: 0.8, beta2: 0.9, orth_reg_weight: 0.2, total_step: 50 })) {
    assert.equal(s.peft[k], v, k);
  }
});

test('QLoRA becomes BitsAndBytesConfig NF4 with double quant; a block size bitsandbytes cannot use is refused by key', () => {
  const s = hfSettings(cfg({ method: 'qlora', quant: { double_quant: false } }), 'ddp');
  assert.deepEqual(s.bnb, { load_in_4bit: true, bnb_4bit_quant_type: 'nf4', bnb_4bit_use_double_quant: false, bnb_4bit_compute_dtype: py('torch.float32') });
  assert.ok(hfSettings(cfg({ method: 'qlora' }), 'fsdp').bnb!.bnb_4bit_quant_storage, 'sharded strategies store NF4 in the weights\' dtype');
  assert.throws(
    () => hfSettings(cfg({ method: 'qlora', quant: { block_size: 128 } }), 'ddp'),
    (e: unknown) => e instanceof ExportRefusedError && /config\.quant\.block_size: 128 .*blocks of 64/.test(e.message),
  );
});

test('train keys become TrainingArguments; null clipping turns clipping off; constant + warmup is constant_with_warmup', () => {
  const a = hfSettings(cfg({ train: { steps: 30, batch_size: 2, grad_accum: 4, lr: 1e-3, schedule: 'constant', warmup_steps: 3, weight_decay: 0.01, max_grad_norm: null, seed: 7, eval_every: 5, save_every: 10 }, data: { train: '/t', eval: '/e', max_seq_len: 64 } }), 'ddp');
  const t = a.trainingArgs;
  assert.deepEqual(
    [t.max_steps, t.per_device_train_batch_size, t.gradient_accumulation_steps, t.learning_rate, t.lr_scheduler_type, t.warmup_steps, t.weight_decay, t.max_grad_norm, t.seed, t.data_seed],
    [30, 2, 4, 1e-3, 'constant_with_warmup', 3, 0.01, 0, 7, 7],
  );
  assert.deepEqual([t.eval_strategy, t.eval_steps, t.eval_on_start, t.save_strategy, t.save_steps, t.logging_steps], ['steps', 5, true, 'steps', 10, 1]);
  assert.equal(a.maxSeqLen, 64);
  const b = hfSettings(cfg(), 'ddp').trainingArgs;
  assert.deepEqual([b.lr_scheduler_type, b.max_grad_norm, b.eval_strategy, b.save_strategy], ['cosine', 1, 'no', 'no']);
});

test('every refusal is collected and names its key', () => {
  try {
    hfSettings(cfg({ method: 'adalora', adalora: { orth_reg_weight: 0 } }), 'deepspeed-zero3');
    assert.fail('expected a refusal');
  } catch (e) {
    assert.ok(e instanceof ExportRefusedError);
    assert.deepEqual(e.refusals.map((r) => r.path).sort(), ['adalora.orth_reg_weight', 'method']);
  }
});
