// model_type → architecture. Adding an architecture = one file in this folder plus
// one entry in ARCHITECTURES. Nothing here loads tfjs.
import { ModelConfigError, type Architecture } from './architecture';
import { chatglm } from './chatglm';
import { gpt2 } from './gpt2';
import { llama, mistral, qwen2 } from './llama';

export * from './architecture';

const ARCHITECTURES: readonly Architecture[] = [llama, mistral, qwen2, gpt2, chatglm];

const BY_MODEL_TYPE: ReadonlyMap<string, Architecture> = new Map(ARCHITECTURES.flatMap((a) => a.modelTypes.map((t) => [t, a] as const)));

export const knownModelTypes = (): string[] => [...BY_MODEL_TYPE.keys()].sort();

export function findArchitecture(modelType: string): Architecture | undefined {
  return BY_MODEL_TYPE.get(modelType);
}

/** The architecture for a parsed config.json; an unknown or missing model_type is a ModelConfigError. */
export function architectureFor(config: unknown, source = 'config.json'): Architecture {
  const modelType = config && typeof config === 'object' ? (config as Record<string, unknown>).model_type : undefined;
  if (typeof modelType !== 'string') {
    throw new ModelConfigError(`${source}: key "model_type": expected a string naming the architecture, got ${JSON.stringify(modelType) ?? 'nothing (the key is missing)'}`);
  }
  const arch = BY_MODEL_TYPE.get(modelType);
  if (!arch) {
    throw new ModelConfigError(`${source}: model_type "${modelType}" is not a known architecture (known: ${knownModelTypes().join(', ')})`);
  }
  return arch;
}
