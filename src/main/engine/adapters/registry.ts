// The registered methods by name, and by the peft_type of the adapter folders
// they read and write. Adding a method is a folder exporting one AdapterMethod and
// one line here (plus its pure descriptor in src/shared/config/methods.ts).
import type { Method, RunConfig } from '../../../shared/config/run-config';
import { adaloraMethod } from './adalora/index';
import { fullMethod } from './full/index';
import { loraMethod } from './lora/index';
import { selectModules, type BaseTensor } from '../../../shared/math/adapter-size';
import { TargetError } from '../../../shared/math/targets';
import { openCheckpoint } from '../io/safetensors/index';
import { readModelConfig } from '../models/load-model';
import { loraSettings } from './lora/train';
import type { AdapterMethod, ConfigIssue } from './method';
import { AdapterError, readAdapterConfig } from './peft-files';
import { qloraMethod } from './qlora/index';

const METHODS: Readonly<Record<Method, AdapterMethod>> = {
  lora: loraMethod,
  qlora: qloraMethod,
  adalora: adaloraMethod,
  full: fullMethod,
};

export function getMethod(name: Method): AdapterMethod {
  const method = METHODS[name];
  if (!method) throw new AdapterError(`method "${name}" is not registered (registered: ${Object.keys(METHODS).join(', ')})`);
  return method;
}

/** The method that loads adapters of this peft_type: LORA is LoRA's (a QLoRA adapter is an ordinary LoRA adapter). */
export function methodForPeftType(peftType: string): AdapterMethod | undefined {
  return Object.values(METHODS).find((m) => m.info.peftType === peftType && m.load);
}

export const loadablePeftTypes = (): string[] => [...new Set(Object.values(METHODS).filter((m) => m.load).map((m) => m.info.peftType!))];

/**
 * Every problem of a schema-valid config that the engine knows before anything runs:
 * the method's own checks and, with init_from resolved to a folder, whether that
 * adapter can continue under this config. Callers refuse the run on any issue.
 */
export function checkRunConfig(config: RunConfig, initFromDir: string | null): ConfigIssue[] {
  const method = getMethod(config.method);
  const issues = method.checkConfig(config);
  if (initFromDir !== null) {
    const adapterConfig = readAdapterConfig(initFromDir);
    issues.push(...(method.checkInitFrom?.(config, adapterConfig, initFromDir) ?? [{ path: ['init_from'], message: `method ${config.method} cannot continue an adapter` }]));
  }
  if (issues.length === 0) issues.push(...checkModelFit(config, method, initFromDir !== null));
  return issues;
}

/**
 * What the model folder decides, read from config.json and the safetensors headers
 * only (no tfjs, no weights): that LoRA Lab can run the architecture, and that the
 * targets select modules the runtime can train — through the one selector training
 * uses (its agreement with the runtime model is tested over every preset and fixture).
 */
function checkModelFit(config: RunConfig, method: AdapterMethod, continuing: boolean): ConfigIssue[] {
  let model: ReturnType<typeof readModelConfig>;
  try {
    model = readModelConfig(config.model);
  } catch (err) {
    return [{ path: ['model'], message: (err as Error).message }];
  }
  const { architecture, spec } = model;
  if (!architecture.build) {
    return [{ path: ['model'], message: `${config.model}: model_type "${spec.modelType}" can be inspected and merged, but LoRA Lab cannot train it yet (no forward pass)` }];
  }
  // A continued adapter keeps its own targets; full fine-tuning has none.
  if (continuing || method.info.result !== 'adapter') return [];
  const lora = loraSettings(config);
  const targets = lora.targets ?? architecture.defaultTargets[method.info.defaultTargets];
  if (!targets) {
    return [{ path: ['lora', 'targets'], message: `PEFT has no default ${method.info.label} targets for model_type "${spec.modelType}"; list them in lora.targets` }];
  }
  let tensors: BaseTensor[];
  const checkpoint = openCheckpoint(config.model);
  try {
    tensors = [...checkpoint.tensors.values()].map((t) => ({ name: t.name, shape: t.shape, kind: architecture.kindOf(t.name, t.shape) }));
  } finally {
    checkpoint.close();
  }
  try {
    const chosen = selectModules({
      tensors,
      targets,
      method: method.info.name as Exclude<Method, 'full'>, // result === 'adapter' above
      modulePath: architecture.modulePath,
      tied: architecture.tiedWeights(spec),
      outputHeads: architecture.outputHeads,
    });
    const emb = chosen.find((m) => m.kind === 'embedding');
    if (emb) return [{ path: ['lora', 'targets'], message: `target "${emb.module}" is an Embedding; LoRA Lab trains ${method.info.label} adapters on Linear and Conv1D layers only` }];
  } catch (err) {
    if (err instanceof TargetError) return [{ path: ['lora', 'targets'], message: err.message }];
    throw err;
  }
  return [];
}
