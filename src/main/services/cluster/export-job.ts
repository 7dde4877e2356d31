// `loralab export-job` / cluster.exportJob: a run (from the registry, or a config
// file) → a self-contained Hugging Face job folder. The folder is built beside
// its destination and renamed into place, so a failed export leaves nothing half-written.
import { methodInfo } from '../../../shared/config/methods';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { runConfigSchema, type RunConfig } from '../../../shared/config/run-config';
import { LoraLabError } from '../../../shared/ipc/result';
import type { Registry } from '../../registry/index';
import { readAdapterConfig } from '../../engine/adapters/peft-files';
import { readRunConfigFile } from '../config-file';
import { resolveConfigPaths } from '../runs';
import { resultArtifact } from '../run-summary';
import { hfSettings, STRATEGIES, type Strategy } from './hf-settings';
import { JOB_FILE, JOB_FORMAT, type JobFile } from './job-file';
import { ACCELERATE_FILE, accelerateConfig, DEEPSPEED_FILE, deepspeedConfig, launchSh, PINNED, requirementsTxt } from './templates/launch-files';
import { readme } from './templates/readme';
import { trainPy } from './templates/train-py';

export interface ExportJobOptions {
  /** A run id in the registry, or a run config file (YAML or JSON). */
  source: number | string;
  out: string;
  gpus?: number;
  strategy?: Strategy;
  /** Keep the data files where they are (absolute paths in train.py) instead of copying them. */
  dataPaths?: boolean;
  /** The model path or Hub id train.py loads (default: the config's model folder). */
  model?: string;
  /** Copy the model folder into the job (model/). */
  copyModel?: boolean;
}

export interface ExportJobResult {
  dir: string;
  files: string[];
  sourceRunId: number | null;
  strategy: Strategy;
  gpus: number;
}

const isRunId = (s: number | string): boolean => typeof s === 'number' || /^\d+$/.test(s);

function loadSource(registry: Registry | null, source: number | string, baseDir: string): { config: RunConfig; runId: number | null } {
  if (isRunId(source)) {
    const id = Number(source);
    const run = registry?.runs.get(id);
    if (!run) throw new LoraLabError('NOT_FOUND', `no run ${id} in the registry; see \`loralab runs list\``);
    const parsed = runConfigSchema.safeParse(run.config);
    if (!parsed.success) throw new LoraLabError('VALIDATION', `run ${id}: its stored config is not a valid run config (${parsed.error.issues[0]?.message})`);
    return { config: parsed.data, runId: id };
  }
  const file = resolve(baseDir, String(source));
  const { config, baseDir: dir } = readRunConfigFile(file);
  return { config: resolveConfigPaths(config, dir), runId: null };
}

/** The adapter folder init_from names: a run's adapter artifact or a folder. */
function initAdapterDir(registry: Registry | null, initFrom: RunConfig['init_from']): string | null {
  if (initFrom === null) return null;
  if (typeof initFrom === 'number') {
    const artifact = registry ? resultArtifact(registry.artifacts.forRun(initFrom)) : undefined;
    if (!artifact) throw new LoraLabError('NOT_FOUND', `config.init_from: run ${initFrom} has no adapter in the registry`);
    return artifact.path;
  }
  return initFrom;
}

export function exportJob(registry: Registry | null, options: ExportJobOptions, baseDir = process.cwd()): ExportJobResult {
  const strategy = options.strategy ?? 'ddp';
  if (!STRATEGIES.includes(strategy)) throw new LoraLabError('VALIDATION', `strategy must be one of ${STRATEGIES.join(', ')}, got "${strategy}"`);
  const gpus = options.gpus ?? 1;
  if (!Number.isInteger(gpus) || gpus < 1) throw new LoraLabError('VALIDATION', `gpus must be a positive integer, got ${gpus}`);
  const { config, runId } = loadSource(registry, options.source, baseDir);

  const initDir = initAdapterDir(registry, config.init_from);
  if (initDir !== null) {
    const peftType = readAdapterConfig(initDir).peft_type;
    const wanted = methodInfo(config.method).peftType;
    if (wanted !== null && peftType !== wanted) {
      throw new LoraLabError('VALIDATION', `config.init_from: ${initDir} is a ${peftType} adapter, and method ${config.method} can continue only a ${wanted} adapter`);
    }
  }
  const settings = hfSettings(config, strategy, { initFrom: initDir !== null });

  const out = resolve(baseDir, options.out);
  if (existsSync(out) && readdirSync(out).length > 0) throw new LoraLabError('CONFLICT', `${out} exists and is not empty; choose a new --out folder`);
  const modelPath = options.model ?? config.model;
  if (options.copyModel && !existsSync(join(config.model, 'config.json'))) {
    throw new LoraLabError('NOT_FOUND', `config.model: ${config.model} is not a model folder (no config.json) to copy`);
  }
  for (const [path, file] of [['data.train', config.data.train], ['data.eval', config.data.eval]] as const) {
    if (file !== null && !existsSync(file)) throw new LoraLabError('NOT_FOUND', `config.${path}: ${file}: no such data file`);
  }

  mkdirSync(dirname(out), { recursive: true });
  const tmp = join(dirname(out), `.${basename(out)}.export-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  const files: string[] = [];
  const write = (name: string, text: string, mode?: number) => {
    mkdirSync(dirname(join(tmp, name)), { recursive: true });
    writeFileSync(join(tmp, name), text);
    if (mode) chmodSync(join(tmp, name), mode);
    files.push(name);
  };
  try {
    const copied = !options.dataPaths;
    const trainFile = copied ? 'data/train.jsonl' : config.data.train;
    const evalFile = config.data.eval === null ? null : copied ? 'data/eval.jsonl' : config.data.eval;
    if (copied) {
      mkdirSync(join(tmp, 'data'));
      cpSync(config.data.train, join(tmp, trainFile));
      files.push(trainFile);
      if (evalFile !== null) {
        cpSync(config.data.eval!, join(tmp, evalFile));
        files.push(evalFile);
      }
    }
    if (initDir !== null) {
      cpSync(initDir, join(tmp, 'init_adapter'), { recursive: true });
      files.push('init_adapter/');
    }
    if (options.copyModel) {
      cpSync(config.model, join(tmp, 'model'), { recursive: true });
      files.push('model/');
    }
    write('train.py', trainPy({
      settings,
      strategy,
      title: `${config.name}: ${config.method} on ${modelPath}${runId === null ? '' : ` (LoRA Lab run ${runId})`}`,
      model: modelPath,
      modelInJob: options.copyModel === true,
      trainFile,
      evalFile,
      full: methodInfo(config.method).result === 'model',
    }));
    write(ACCELERATE_FILE, accelerateConfig(strategy, gpus));
    const ds = deepspeedConfig(strategy);
    if (ds) write(DEEPSPEED_FILE, JSON.stringify(ds, null, 2) + '\n');
    write('requirements.txt', requirementsTxt(strategy, methodInfo(config.method).quantizedBase));
    write('launch.sh', launchSh(), 0o755);
    write('README.md', readme({ config, sourceRunId: runId, strategy, gpus, model: options.copyModel ? 'model/ (copied)' : modelPath, dataCopied: copied, initFrom: initDir !== null }));
    const job: JobFile = {
      format: JOB_FORMAT,
      sourceRunId: runId,
      sourceRegistry: runId === null ? null : (registry?.path ?? null),
      name: config.name,
      strategy,
      gpus,
      config: config as unknown as Record<string, unknown>,
      exportedAt: new Date().toISOString(),
      versions: { ...PINNED },
    };
    write(JOB_FILE, JSON.stringify(job, null, 2) + '\n');
    if (existsSync(out)) rmSync(out, { recursive: true }); // empty (checked above)
    renameSync(tmp, out);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  return { dir: out, files, sourceRunId: runId, strategy, gpus };
}
