// `loralab import-job` / cluster.importJob: a finished Hugging Face job (the folder
// export-job wrote, its output/ folder, or any PEFT adapter folder with a Trainer
// trainer_state.json, such as a checkpoint-N) → a run in the registry: its config,
// its metrics from log_history, its adapter as the run's artifact (copied into the
// run's folder), and lineage to the run it was exported from (job.json).
import { METHOD_INFO, methodForPeftType } from '../../../shared/config/methods';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { runConfigSchema, type RunConfig } from '../../../shared/config/run-config';
import { LoraLabError } from '../../../shared/ipc/result';
import { openAdapterWeights, readAdapterConfig } from '../../engine/adapters/peft-files';
import type { Registry } from '../../registry/index';
import { readJobFile, readJsonFile, JOB_FILE, type JobFile } from './job-file';
import { readTrainerState } from './trainer-state';

export const TRAINER_STATE = 'trainer_state.json';
/** Written by the exported train.py beside trainer_state.json: {transformers, peft, torch, accelerate}. */
export const JOB_VERSIONS = 'job_versions.json';
export const CLUSTER_TAG = 'cluster';

export interface ImportJobResult {
  runId: number;
  name: string;
  status: 'completed' | 'stopped';
  /** The run it was exported from, when that run is in this registry. */
  parentRunId: number | null;
  artifact: { kind: 'adapter' | 'model'; path: string };
  /** Points recorded per metric name. */
  metrics: Record<string, number>;
  steps: number;
  warnings: string[];
}

interface Located {
  stateFile: string;
  resultDir: string;
  kind: 'adapter' | 'model';
  job: JobFile | null;
}

/** Where the trainer state and the adapter (or model) are, for each folder layout import accepts. */
function locate(dir: string): Located {
  if (!existsSync(dir)) throw new LoraLabError('NOT_FOUND', `${dir}: no such folder`);
  const layouts = [join(dir, 'output'), dir];
  for (const at of layouts) {
    const stateFile = join(at, TRAINER_STATE);
    if (!existsSync(stateFile)) continue;
    // job.json sits in the job folder: `dir` itself, or its parent when `dir` is output/.
    const job = readJobFile(dir) ?? (at === dir ? readJobFile(dirname(dir)) : null);
    for (const [sub, kind] of [['adapter', 'adapter'], ['model', 'model'], ['.', 'adapter']] as const) {
      const resultDir = join(at, sub);
      if (existsSync(join(resultDir, 'adapter_config.json'))) return { stateFile, resultDir: resolve(resultDir), kind: 'adapter', job };
      if (kind === 'model' && existsSync(join(resultDir, 'config.json'))) return { stateFile, resultDir: resolve(resultDir), kind: 'model', job };
    }
    throw new LoraLabError('NOT_FOUND', `${at}: ${TRAINER_STATE} is here but no PEFT adapter (adapter/adapter_config.json or adapter_config.json) or model/ folder beside it`);
  }
  throw new LoraLabError('NOT_FOUND', `${dir}: no ${TRAINER_STATE} (looked in ${join(dir, 'output')} and ${dir}); is the job finished?`);
}

/** The transformers version train.py recorded beside trainer_state.json, or null when there is no such file. */
function readVersions(file: string): string | null {
  if (!existsSync(file)) return null;
  const v = (readJsonFile(file) as { transformers?: unknown } | null)?.transformers;
  if (typeof v !== 'string' || !/^\d+\.\d+/.test(v)) throw new LoraLabError('VALIDATION', `${file}: field "transformers" must be a version such as "4.51.3", got ${JSON.stringify(v)}`);
  return v;
}

/** A config for an adapter LoRA Lab did not export: what adapter_config.json says. */
function configFromAdapter(resultDir: string, kind: 'adapter' | 'model', name: string, steps: number): RunConfig {
  const unknownData = `(not recorded: imported from ${resultDir})`;
  if (kind === 'model') return runConfigSchema.parse({ name, model: resultDir, method: 'full', data: { train: unknownData }, train: { steps: Math.max(1, steps) } });
  const c = readAdapterConfig(resultDir);
  const where = join(resultDir, 'adapter_config.json');
  const num = (key: string, fallback: number) => {
    const v = c[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number') throw new LoraLabError('VALIDATION', `${where}: field "${key}" must be a number, got ${JSON.stringify(v)}`);
    return v;
  };
  const targets = c.target_modules === undefined ? null : (c.target_modules as string[] | string | null);
  const base = typeof c.base_model_name_or_path === 'string' && c.base_model_name_or_path ? c.base_model_name_or_path : '(unknown base model)';
  const lora = { r: num('r', 8), alpha: num('lora_alpha', 8), dropout: num('lora_dropout', 0), targets, rslora: c.use_rslora === true };
  const common = { name, model: base, data: { train: unknownData }, train: { steps: Math.max(1, steps) } };
  // A QLoRA adapter is a LoRA adapter on disk: it is recorded as the method whose peft_type it has.
  const info = methodForPeftType(c.peft_type);
  if (!info?.peft) {
    const known = Object.values(METHOD_INFO).flatMap((m) => (m.peftType && !m.quantizedBase ? [m.peftType] : []));
    throw new LoraLabError('VALIDATION', `${where}: peft_type "${c.peft_type}" is not one LoRA Lab trains (${known.join(' or ')})`);
  }
  return runConfigSchema.parse({ ...common, method: info.name, ...info.peft.sections(num, lora) });
}

/** Mirrors Supervisor.runDir: `runs/<id>` beside registry.sqlite, `<stem>-runs/<id>` beside any other name. */
export function runFolder(registryPath: string, runId: number): string {
  const stem = basename(registryPath, extname(registryPath));
  return join(dirname(registryPath), stem === 'registry' ? 'runs' : `${stem}-runs`, String(runId));
}

export function importJob(registry: Registry, dirArg: string, baseDir = process.cwd()): ImportJobResult {
  const dir = resolve(baseDir, dirArg);
  const found = locate(dir);
  const state = readTrainerState(found.stateFile, { transformersVersion: readVersions(join(dirname(found.stateFile), JOB_VERSIONS)) });
  // adapter_model.safetensors must be there, with a valid header (and not a pickle).
  if (found.kind === 'adapter') openAdapterWeights(found.resultDir).close();
  const warnings = [...state.warnings];

  let config: RunConfig;
  if (found.job) {
    const parsed = runConfigSchema.safeParse(found.job.config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new LoraLabError('VALIDATION', `${join(dir, JOB_FILE)}: field "config.${issue.path.join('.')}": ${issue.message}`);
    }
    config = { ...parsed.data, name: `${parsed.data.name} (cluster)` };
  } else {
    config = configFromAdapter(found.resultDir, found.kind, `${basename(dir)} (imported)`, state.maxSteps ?? state.globalStep);
  }

  let parentRunId: number | null = null;
  const source = found.job?.sourceRunId ?? null;
  if (source !== null) {
    const sameRegistry = found.job?.sourceRegistry === null || found.job?.sourceRegistry === undefined || resolve(found.job.sourceRegistry) === resolve(registry.path);
    if (sameRegistry && registry.runs.get(source)) parentRunId = source;
    else warnings.push(`exported from run ${source} of ${found.job?.sourceRegistry ?? 'another registry'}, which is not in this registry; recorded without lineage`);
  }

  const status = state.maxSteps !== null && state.globalStep < state.maxSteps ? 'stopped' : 'completed';
  const run = registry.runs.create({ name: config.name, method: config.method, config: config as unknown as Record<string, unknown>, parentRunId });
  const target = join(runFolder(registry.path, run.id), found.kind);
  try {
    mkdirSync(dirname(target), { recursive: true });
    cpSync(found.resultDir, target, { recursive: true, filter: (src) => !/([\\/]checkpoints|\.pt|\.pth|\.bin)$/.test(src) });
    const wallTime = Date.now();
    registry.metrics.append(run.id, state.points.map((p) => ({ ...p, wallTime })));
    registry.artifacts.add({
      runId: run.id,
      kind: found.kind,
      path: target,
      meta: { step: state.globalStep, importedFrom: found.resultDir, sourceRunId: source, strategy: found.job?.strategy ?? null, gpus: found.job?.gpus ?? null, trainRuntimeSeconds: state.trainRuntime },
    });
    registry.tags.add(run.id, CLUSTER_TAG);
    registry.runs.finish(run.id, status);
  } catch (err) {
    // Leave no half-imported run behind.
    registry.runs.finish(run.id, 'failed', (err as Error).message);
    registry.runs.delete(run.id);
    rmSync(dirname(target), { recursive: true, force: true });
    throw err;
  }
  const metrics: Record<string, number> = {};
  for (const p of state.points) metrics[p.name] = (metrics[p.name] ?? 0) + 1;
  return { runId: run.id, name: config.name, status, parentRunId, artifact: { kind: found.kind, path: target }, metrics, steps: state.globalStep, warnings };
}
