// Seeded pseudo-random numbers for the engine: weight init, batch sampling,
// dropout masks. mulberry32 — one 32-bit word of state, so a checkpoint can
// store it and a resumed run draws exactly the numbers it would have drawn.
// Math.random and tfjs's own seeded ops are avoided: the first cannot be
// seeded and the second keeps its state out of reach of a checkpoint.

export interface Rng {
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** The whole state; `createRng(0).restore(s)` continues the same sequence. */
  state(): number;
  restore(state: number): void;
}

export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed)) throw new Error(`rng seed must be an integer, got ${seed}`);
  let s = seed >>> 0;
  // Box–Muller yields pairs; the spare is dropped rather than cached so that
  // state() alone captures everything (no hidden second word).
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int(n) {
      if (!Number.isInteger(n) || n <= 0) throw new Error(`rng.int needs a positive integer, got ${n}`);
      return Math.floor(next() * n);
    },
    normal() {
      const u = 1 - next(); // (0, 1]: keeps log finite
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    state: () => s,
    restore(state) {
      s = state >>> 0;
    },
  };
}
