// Batches of training examples in a seeded order: each epoch is a fresh
// permutation drawn from (seed, epoch), and the loader's whole state is two
// integers, so a checkpoint can resume the exact same sequence of batches.
import type { Example } from '../io/tokenizer/index';
import { createRng } from './rng';

export interface LoaderState {
  epoch: number;
  /** Index into the epoch's permutation of the next example. */
  position: number;
}

export class DataLoader {
  private order: number[];
  state: LoaderState = { epoch: 0, position: 0 };

  constructor(
    private readonly examples: readonly Example[],
    private readonly batchSize: number,
    private readonly seed: number,
  ) {
    if (examples.length === 0) throw new Error('no training examples');
    this.order = this.permutation(0);
  }

  /** The epoch's order: Fisher–Yates with an RNG seeded by (seed, epoch). */
  private permutation(epoch: number): number[] {
    const rng = createRng((this.seed * 1_000_003 + epoch) >>> 0);
    const order = this.examples.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return order;
  }

  next(): Example[] {
    const batch: Example[] = [];
    while (batch.length < this.batchSize) {
      if (this.state.position >= this.order.length) {
        this.state = { epoch: this.state.epoch + 1, position: 0 };
        this.order = this.permutation(this.state.epoch);
      }
      batch.push(this.examples[this.order[this.state.position++]!]!);
    }
    return batch;
  }

  restore(state: LoaderState): void {
    this.state = { ...state };
    this.order = this.permutation(state.epoch);
  }
}
