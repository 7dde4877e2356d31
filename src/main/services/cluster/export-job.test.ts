// export-job writes a job folder for every method × strategy: train.py compiles
// under Debian's python3, the accelerate YAML and DeepSpeed JSON parse and name
// the requested GPUs and strategy, and what cannot be expressed is refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { METHODS } from '../../../shared/config/run-config';
import { exportJob } from './export-job';
import { ExportRefusedError, STRATEGIES } from './hf-settings';
import { readJobFile } from './job-file';

const ROOT = join(__dirname, '..', '..', '..', '..');
const MODEL = join(ROOT, 'test', 'fixtures', 'models', 'tiny-llama');
const DATA = join(MODEL, 'eval.jsonl');
const dir = mkdtempSync(join(tmpdir(), 'loralab-export-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function configFile(method: string, extra: Record<string, unknown> = {}): string {
  const file = join(dir, `${method}-${Math.random().toString(36).slice(2)}.json`);
  const config = { name: `${method} run`, model: MODEL, method, data: { train: DATA, eval: DATA, max_seq_len: 32 }, train: { steps: 20, eval_every: 5, save_every: 10 }, ...extra };
  writeFileSync(file, JSON.stringify(config));
  return file;
}

for (const method of METHODS) {
  for (const strategy of STRATEGIES) {
    const refused = method === 'adalora' && strategy !== 'ddp';
    test(`${method} × ${strategy}: ${refused ? 'refused, naming config.method' : 'train.py compiles; accelerate YAML and DeepSpeed JSON name 4 GPUs'}`, () => {
      const out = join(dir, `${method}-${strategy}`);
      if (refused) {
        assert.throws(() => exportJob(null, { source: configFile(method), out, gpus: 4, strategy }), (e: unknown) => e instanceof ExportRefusedError && /config\.method: adalora needs --strategy ddp/.test(e.message));
        assert.equal(existsSync(out), false, 'a refused export writes nothing');
        return;
      }
      const result = exportJob(null, { source: configFile(method), out, gpus: 4, strategy });
      assert.equal(result.dir, out);
      const compiled = spawnSync('python3', ['-m', 'py_compile', join(out, 'train.py')], { encoding: 'utf8' });
      assert.equal(compiled.status, 0, compiled.stderr);

      const acc = parseYaml(readFileSync(join(out, 'accelerate_config.yaml'), 'utf8')) as Record<string, unknown>;
      assert.equal(acc.num_processes, 4);
      assert.equal(acc.num_machines, 1);
      if (strategy.startsWith('deepspeed')) {
        // accelerate refuses these beside a deepspeed_config_file (DeepSpeedPlugin._deepspeed_config_checks).
        for (const key of ['mixed_precision', 'gradient_accumulation_steps', 'gradient_clipping', 'zero_stage', 'offload_optimizer_device', 'offload_param_device', 'zero3_save_16bit_model']) {
          assert.equal(key in acc || key in (acc.deepspeed_config as object), false, key);
        }
      } else {
        // PyYAML (YAML 1.1, what accelerate reads with) would take a bare no for False.
        assert.match(readFileSync(join(out, 'accelerate_config.yaml'), 'utf8'), /^mixed_precision: 'no'$/m);
      }
      const expectedType = { ddp: 'MULTI_GPU', fsdp: 'FSDP', 'deepspeed-zero2': 'DEEPSPEED', 'deepspeed-zero3': 'DEEPSPEED' }[strategy];
      assert.equal(acc.distributed_type, expectedType);
      if (strategy.startsWith('deepspeed')) {
        const dsc = acc.deepspeed_config as Record<string, unknown>;
        assert.equal(dsc.deepspeed_config_file, 'deepspeed.json');
        const ds = JSON.parse(readFileSync(join(out, 'deepspeed.json'), 'utf8'));
        assert.equal(ds.zero_optimization.stage, strategy === 'deepspeed-zero3' ? 3 : 2);
        assert.equal(ds.train_micro_batch_size_per_gpu, 'auto');
        assert.equal(ds.optimizer, undefined, "Trainer's AdamW and schedule, not DeepSpeed's");
      } else assert.equal(existsSync(join(out, 'deepspeed.json')), false);
      if (strategy === 'fsdp') {
        assert.equal((acc.fsdp_config as Record<string, unknown>).fsdp_use_orig_params, false);
        assert.equal(readFileSync(join(out, 'train.py'), 'utf8').includes('FSDP_PEFT = True'), method !== 'full');
      }

      const train = readFileSync(join(out, 'train.py'), 'utf8');
      const peftClass = { lora: 'LoraConfig(', qlora: 'LoraConfig(', adalora: 'AdaLoraConfig(', full: null }[method];
      if (peftClass) assert.ok(train.includes(peftClass));
      else assert.ok(!train.includes('get_peft_model('));
      assert.equal(train.includes('BitsAndBytesConfig('), method === 'qlora');
      assert.equal(train.includes('AdaLoraBudget()'), method === 'adalora');
      assert.match(train, /eval_steps=5,/);
      assert.match(train, /save_steps=10,/);
      const req = readFileSync(join(out, 'requirements.txt'), 'utf8');
      assert.match(req, /^transformers==\d+\.\d+\.\d+$/m);
      assert.match(req, /^peft==\d+\.\d+\.\d+$/m);
      assert.equal(/^bitsandbytes==/m.test(req), method === 'qlora');
      assert.equal(/^deepspeed==/m.test(req), strategy.startsWith('deepspeed'));
      assert.ok(statSync(join(out, 'launch.sh')).mode & 0o100, 'launch.sh is executable');
      assert.match(readFileSync(join(out, 'launch.sh'), 'utf8'), /accelerate launch --config_file accelerate_config\.yaml train\.py/);
      assert.equal(readFileSync(join(out, 'data', 'train.jsonl'), 'utf8'), readFileSync(DATA, 'utf8'));
      const job = readJobFile(out)!;
      assert.deepEqual([job.sourceRunId, job.strategy, job.gpus, job.config.method], [null, strategy, 4, method]);
    });
  }
}

test('one GPU with ddp is a plain single-process config', () => {
  const out = join(dir, 'single');
  exportJob(null, { source: configFile('lora'), out, gpus: 1 });
  const acc = parseYaml(readFileSync(join(out, 'accelerate_config.yaml'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual([acc.num_processes, acc.distributed_type], [1, 'NO']);
});

test('--data-paths keeps the data where it is; an existing non-empty --out is refused', () => {
  const out = join(dir, 'paths');
  exportJob(null, { source: configFile('lora'), out, dataPaths: true });
  assert.equal(existsSync(join(out, 'data')), false);
  assert.ok(readFileSync(join(out, 'train.py'), 'utf8').includes(`TRAIN_FILE = Path(${JSON.stringify(DATA)})`));
  assert.throws(() => exportJob(null, { source: configFile('lora'), out }), /exists and is not empty/);
});

test('a config the Hugging Face stack cannot express is refused with the key and the reason', () => {
  assert.throws(
    () => exportJob(null, { source: configFile('qlora', { quant: { block_size: 256 } }), out: join(dir, 'bs') }),
    /config\.quant\.block_size: 256 is not available: bitsandbytes quantizes 4-bit weights in blocks of 64/,
  );
});

test('init_from: the adapter is copied to init_adapter/ and train.py continues it; another adapter type is refused', () => {
  const adapter = join(ROOT, 'test', 'fixtures', 'lora', 'tiny-llama-qv');
  const out = join(dir, 'init');
  exportJob(null, { source: configFile('lora', { init_from: adapter }), out });
  assert.deepEqual(readFileSync(join(out, 'init_adapter', 'adapter_model.safetensors')), readFileSync(join(adapter, 'adapter_model.safetensors')));
  const train = readFileSync(join(out, 'train.py'), 'utf8');
  assert.match(train, /^INIT_ADAPTER = HERE \/ "init_adapter"$/m);
  assert.match(train, /PeftModel\.from_pretrained\(model, str\(INIT_ADAPTER\), is_trainable=True\)/);
  assert.throws(
    () => exportJob(null, { source: configFile('adalora', { init_from: adapter }), out: join(dir, 'init-ada') }),
    /config\.init_from: .*tiny-llama-qv is a LORA adapter, and method adalora can continue only a ADALORA adapter/,
  );
});

test('--copy-model puts the model in the job and train.py loads it from there; --model names another', () => {
  const out = join(dir, 'copy');
  exportJob(null, { source: configFile('lora'), out, copyModel: true });
  assert.deepEqual(readFileSync(join(out, 'model', 'config.json')), readFileSync(join(MODEL, 'config.json')));
  assert.match(readFileSync(join(out, 'train.py'), 'utf8'), /^MODEL = os\.environ\.get\("LORALAB_MODEL", str\(HERE \/ "model"\)\)$/m);
  const hub = join(dir, 'hub');
  exportJob(null, { source: configFile('lora'), out: hub, model: 'meta-llama/Llama-3.2-1B' });
  assert.match(readFileSync(join(hub, 'train.py'), 'utf8'), /^MODEL = os\.environ\.get\("LORALAB_MODEL", "meta-llama\/Llama-3\.2-1B"\)$/m);
});
