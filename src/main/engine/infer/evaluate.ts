// Evaluation loss over a whole data file: the mean next-token cross-entropy over
// all predicted tokens of all sequences (not a mean of per-sequence means), with
// sequences batched and right-padded; padding is masked out of attention and loss.
import type { Example } from '../io/tokenizer/index';
import type { DecoderModel } from '../models/decoder/decoder';
import { causalLmLossSum, IGNORE_INDEX } from '../models/loss';

export type { Example };

export interface EvalResult {
  loss: number;
  perplexity: number;
  tokens: number;
}

export interface EvalOptions {
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Awaited after each batch, so an engine can take a stop request (tfjs's data() resolves through microtasks only). */
  yieldToEventLoop?: () => Promise<void>;
  /** Checked before each batch: true abandons the evaluation. */
  shouldStop?: () => boolean;
}

/** Right-pads a batch: ids with `padId`, labels with IGNORE_INDEX, mask 1 for real tokens. */
export function padBatch(batch: readonly Example[], padId = 0): { ids: number[][]; labels: number[][]; mask: number[][] } {
  const t = Math.max(...batch.map((e) => e.inputIds.length));
  const pad = <T>(row: readonly T[], fill: T) => [...row, ...Array<T>(t - row.length).fill(fill)];
  return {
    ids: batch.map((e) => pad(e.inputIds, padId)),
    labels: batch.map((e) => pad(e.labels, IGNORE_INDEX)),
    mask: batch.map((e) => pad(e.inputIds.map(() => 1), 0)),
  };
}

export async function evaluate(model: DecoderModel, examples: readonly Example[], options: EvalOptions = {}): Promise<EvalResult> {
  const batchSize = options.batchSize ?? 8;
  // Similar lengths together waste less compute on padding; the loss does not depend on the order.
  const order = examples.map((_, i) => i).sort((a, b) => examples[a]!.inputIds.length - examples[b]!.inputIds.length);
  let sum = 0;
  let tokens = 0;
  for (let i = 0; i < order.length; i += batchSize) {
    if (options.shouldStop?.()) throw new Error('the evaluation was cancelled');
    const batch = order.slice(i, i + batchSize).map((j) => examples[j]!);
    const { ids, labels, mask } = padBatch(batch);
    const logits = model.forward(ids, mask);
    try {
      const part = await causalLmLossSum(model.tf, logits, labels);
      sum += part.sum;
      tokens += part.count;
    } finally {
      logits.dispose();
    }
    options.onProgress?.(Math.min(i + batchSize, order.length), order.length);
    await options.yieldToEventLoop?.();
  }
  if (tokens === 0) throw new Error('no predicted tokens: every sequence has fewer than two tokens or all labels are ignored');
  const loss = sum / tokens;
  return { loss, perplexity: Math.exp(loss), tokens };
}
