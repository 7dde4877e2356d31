// The job folder's README: what is in it, how to run it, what comes back, and
// where the cluster run can differ from the local one.
import { methodInfo } from '../../../../shared/config/methods';
import type { RunConfig } from '../../../../shared/config/run-config';
import type { Strategy } from '../hf-settings';
import { ACCELERATE_FILE, DEEPSPEED_FILE, PINNED } from './launch-files';

export interface ReadmeInput {
  config: RunConfig;
  sourceRunId: number | null;
  strategy: Strategy;
  gpus: number;
  model: string;
  dataCopied: boolean;
  initFrom: boolean;
}

export function readme(r: ReadmeInput): string {
  const c = r.config;
  const from = r.sourceRunId === null ? 'a LoRA Lab run config' : `LoRA Lab run ${r.sourceRunId}`;
  const result = methodInfo(c.method).result === 'model' ? 'output/model/' : 'output/adapter/';
  const files = [
    '- `train.py` — transformers Trainer + PEFT, the run\'s settings as keyword arguments',
    `- \`${ACCELERATE_FILE}\` — ${r.gpus} process${r.gpus > 1 ? 'es' : ''}, strategy ${r.strategy}`,
    ...(r.strategy.startsWith('deepspeed') ? [`- \`${DEEPSPEED_FILE}\` — ZeRO stage ${r.strategy === 'deepspeed-zero3' ? 3 : 2}; "auto" values come from train.py's TrainingArguments`] : []),
    '- `requirements.txt` — pinned versions',
    '- `launch.sh` — `accelerate launch --config_file ' + ACCELERATE_FILE + ' train.py`',
    `- \`job.json\` — the LoRA Lab config and the run it came from (import-job links the result to it)`,
    r.dataCopied ? '- `data/` — the train (and eval) files, copied' : '- data: read from the paths in train.py (exported with --data-paths)',
    ...(r.initFrom ? ['- `init_adapter/` — the adapter this run continues (init_from)'] : []),
  ];
  return `# ${c.name} — ${c.method} job for Hugging Face accelerate

Exported from ${from} by \`loralab export-job\`. Model: \`${r.model}\`
(set \`LORALAB_MODEL=<folder or Hub id>\` to use another path on this machine).

${files.join('\n')}

## Run

\`\`\`sh
python3 -m venv .venv && . .venv/bin/activate
pip install -r requirements.txt
./launch.sh                   # all ${c.train.steps} steps on ${r.gpus} GPU${r.gpus > 1 ? 's' : ''}
./launch.sh --max-steps 10    # a short trial
\`\`\`

The job writes \`${result}\` (PEFT's \`save_pretrained\`: adapter_config.json +
adapter_model.safetensors) and \`output/trainer_state.json\` (Trainer's
log_history: loss, learning_rate, grad_norm every step; eval_loss and
eval_perplexity at each evaluation) and \`output/job_versions.json\`.${c.train.save_every ? ` Trainer checkpoints go to output/checkpoints/ every ${c.train.save_every} steps.` : ''}

## Bring it back

Copy this folder (or just \`output/\` and \`job.json\`) back and run

\`\`\`sh
loralab import-job <this folder>
\`\`\`

The run appears in LoRA Lab's registry${r.sourceRunId === null ? '' : ` beside run ${r.sourceRunId}, as its child`}, with its
metrics and adapter, ready to compare.

## Where it can differ from the local run

${
  r.gpus > 1
    ? `- Batch: \`train.batch_size\` (${c.train.batch_size}) is per GPU, so a step sees
  ${r.gpus}× as many rows as on one machine; lower it (or grad_accum) in train.py
  to keep the global batch.
`
    : ''
}- Data order and initialization come from PyTorch's RNG seeded with ${c.train.seed},
  not LoRA Lab's: the same distribution, not the same numbers.
- \`output/job_versions.json\` records the library versions that ran; import-job
  reads it, because Trainer before transformers 4.51 logged the next step's
  learning rate rather than the one the step used.
- Precision: float32, as LoRA Lab trains.

Versions: torch ${PINNED.torch}, transformers ${PINNED.transformers}, peft ${PINNED.peft},
accelerate ${PINNED.accelerate}${methodInfo(c.method).quantizedBase ? `, bitsandbytes ${PINNED.bitsandbytes}` : ''}${r.strategy.startsWith('deepspeed') ? `, deepspeed ${PINNED.deepspeed}` : ''}.
`;
}
