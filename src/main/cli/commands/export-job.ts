// `loralab export-job <run-id|config> --out DIR [--gpus N] [--strategy ddp|deepspeed-zero2|deepspeed-zero3|fsdp]
//   [--data-paths] [--model PATH|HUB-ID] [--copy-model] [--json]`
// Writes a self-contained Hugging Face job folder (train.py with transformers +
// PEFT, accelerate config, DeepSpeed JSON, pinned requirements, launch.sh, README).
import { exportJobAt, STRATEGIES, type Strategy } from '../../services/cluster/index';
import { flag, str, UsageError, type Parsed } from '../args';

export const EXPORT_JOB_USAGE = `usage: loralab export-job <run-id|config.(yaml|json)> --out DIR [options]

Writes a Hugging Face job folder: train.py (transformers Trainer + PEFT, the run's
settings as keyword arguments), accelerate_config.yaml, deepspeed.json (ZeRO),
requirements.txt (pinned), launch.sh (accelerate launch), README.md, job.json.

  --out DIR             the job folder (new or empty)
  --gpus N              processes (GPUs) accelerate starts (default 1)
  --strategy S          ${STRATEGIES.join(' | ')} (default ddp)
  --data-paths          keep the data files where they are instead of copying them into the job
  --model PATH|HUB-ID   the model train.py loads on the cluster (default: the run's model folder)
  --copy-model          copy the model folder into the job (model/)
  --registry FILE       the registry a run id is looked up in
  --json                print {dir, files, sourceRunId, strategy, gpus}
`;

export async function exportJobCommand(args: Parsed): Promise<number> {
  if (flag(args, 'help')) {
    process.stdout.write(EXPORT_JOB_USAGE);
    return 0;
  }
  const [source, extra] = args.positionals;
  const out = str(args, 'out');
  if (!source || !out) throw new UsageError('export-job needs a run id or a config file, and --out DIR');
  if (extra) throw new UsageError(`export-job takes one run id or config file, got also "${extra}"`);
  const gpusText = str(args, 'gpus') ?? '1';
  const gpus = Number(gpusText);
  if (!/^\d+$/.test(gpusText) || gpus < 1) throw new UsageError(`--gpus must be a positive integer, got ${gpusText}`);
  const strategy = (str(args, 'strategy') ?? 'ddp') as Strategy;
  if (!STRATEGIES.includes(strategy)) throw new UsageError(`--strategy must be one of ${STRATEGIES.join(', ')}, got ${strategy}`);

  const result = exportJobAt(str(args, 'registry'), {
    source,
    out,
    gpus,
    strategy,
    dataPaths: flag(args, 'data-paths'),
    model: str(args, 'model'),
    copyModel: flag(args, 'copy-model'),
  });
  if (flag(args, 'json')) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    process.stdout.write(`wrote ${result.dir} (${result.strategy}, ${result.gpus} GPU${result.gpus > 1 ? 's' : ''})\n`);
    process.stdout.write(`  ${result.files.join('\n  ')}\n`);
    process.stdout.write(`run it on the cluster: cd ${result.dir} && pip install -r requirements.txt && ./launch.sh\nthen bring it back:    loralab import-job ${result.dir}\n`);
  }
  return 0;
}
