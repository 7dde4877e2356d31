// The presets shipped in resources/presets (config.json shapes of well-known models),
// offered by the model field. A test keeps this list equal to that folder.
export const PRESET_IDS = [
  'chatglm-6b',
  'chatglm2-6b',
  'chatglm3-6b',
  'gpt2',
  'llama-2-7b',
  'meta-llama-3-8b',
  'mistral-7b-v0.1',
  'qwen2.5-0.5b',
  'qwen2.5-7b',
  'smollm2-135m',
  'tinyllama-1.1b',
] as const;
