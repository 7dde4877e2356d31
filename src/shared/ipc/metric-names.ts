// The metric names the engine writes to the registry and the charts read: one
// definition, imported wherever a name is needed (engine, registry, services, UI).
export const METRIC = {
  /** Training loss (mean next-token cross-entropy of the step's batch). */
  loss: 'loss',
  evalLoss: 'eval_loss',
  evalPerplexity: 'eval_perplexity',
  lr: 'lr',
  gradNorm: 'grad_norm',
  tokensPerSecond: 'tokens_per_second',
  /** Learned (unmasked) target tokens in the step's batch; summed over steps it is the tokens seen. */
  tokens: 'tokens',
  /** AdaLoRA: the orthogonal regularization R before its weight (the loss includes orth_reg_weight·R, as PEFT's does). */
  orthReg: 'orth_reg',
  /** AdaLoRA: the rank budget of the step (budget_schedule). */
  adaloraBudget: 'adalora_budget',
  /** The engine process's peak resident memory so far (RSS, the wasm heap included), in bytes. */
  peakRssBytes: 'peak_rss_bytes',
  /** QLoRA: bytes the NF4 base weights keep resident (codes, block scales, double-quant state), at the run's first step. */
  quantizedBaseBytes: 'quantized_base_bytes',
  /** QLoRA: what the same weights take in float32, for comparison. */
  quantizedBaseFloat32Bytes: 'quantized_base_float32_bytes',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
export const METRIC_NAMES: readonly MetricName[] = Object.values(METRIC);
