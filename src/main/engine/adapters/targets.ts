// Training's side of target selection: the runtime model's modules as candidates
// for the one selector inspect uses too (src/shared/math/targets.ts), then what the
// runtime can train — Linear and Conv1D layers (and lm_head when named), not
// Embedding tables.
import type { MethodInfo } from '../../../shared/config/methods';
import { selectTargetModules, TargetError, type TargetCandidate, type TargetSpec } from '../../../shared/math/targets';
import type { Linear } from '../models/decoder/linear';
import type { LoadedModel } from '../models/load-model';

/** Every module of the runtime model that a target could name, as the inspector lists them from headers. */
export function runtimeCandidates(loaded: LoadedModel): (TargetCandidate & { linear: Linear | null })[] {
  const { model, architecture } = loaded;
  const head = model.weights.lmHead;
  const out: (TargetCandidate & { linear: Linear | null })[] = [];
  const embeddings = [model.weights.embedTensor, model.weights.positionsTensor].filter((n): n is string => n !== null);
  for (const name of embeddings) out.push({ module: architecture.modulePath(name.replace(/\.weight$/, '')), kind: 'embedding', head: false, linear: null });
  for (const lin of model.linears()) {
    out.push({ module: lin.name, kind: lin.checkpointLayout === 'in-out' ? 'conv1d' : 'linear', head: lin === head, linear: lin });
  }
  return out;
}

/**
 * The linear layers `spec` selects for `method` (the architecture's PEFT defaults when
 * null); errors name `lora.targets` and say what was expected.
 */
export function selectTrainingTargets(loaded: LoadedModel, spec: TargetSpec | null, method: MethodInfo): Linear[] {
  const where = 'lora.targets: target';
  let targets = spec;
  if (targets === null) {
    targets = loaded.architecture.defaultTargets[method.defaultTargets];
    if (!targets) {
      throw new TargetError(`lora.targets: PEFT has no default ${method.label} targets for model_type "${loaded.spec.modelType}"; list them in lora.targets`);
    }
  }
  const chosen = selectTargetModules(runtimeCandidates(loaded), targets, where);
  const emb = chosen.find((c) => c.linear === null);
  if (emb) throw new TargetError(`${where} "${emb.module}" is an Embedding; LoRA Lab trains ${method.label} adapters on Linear and Conv1D layers only`);
  return chosen.map((c) => c.linear!);
}
