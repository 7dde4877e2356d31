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
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
export const METRIC_NAMES: readonly MetricName[] = Object.values(METRIC);
