// A kernel-by-kernel profile of one forward+backward (tf.profile) and the tables
// BENCHMARKS.md shows of it: the records summed per kernel, split into forward and
// backward at a mark taken when the loss exists, and the BatchMatMul calls (every
// tf.matMul on wasm) grouped by input shapes with their FLOPs and rates. Not an
// entry point: used by bench/train.ts (through bench/train-diagnostics.ts and
// bench/train-report.ts).
import type { Tf } from '../src/main/engine/backend';

export interface KernelRow {
  name: string;
  fwdMs: number;
  fwdCount: number;
  bwdMs: number;
  bwdCount: number;
  /** The costliest input-shape signature of this kernel, and its total ms. */
  topShapes: string;
  topShapesMs: number;
}

/** BatchMatMul calls (every tf.matMul on wasm) grouped by input shapes. */
export interface MatMulRow {
  shapes: string;
  fwdCount: number;
  bwdCount: number;
  ms: number;
  flops: number;
}

export interface KernelProfile {
  /** The costliest first. */
  kernels: KernelRow[];
  /** The costliest first. */
  matmuls: MatMulRow[];
  profiledMs: { forward: number; backward: number };
}

/** How many kernels tf.profile has recorded so far (tfjs keeps the list on the engine's state while profiling). */
export function profiledKernelCount(tf: Tf): number {
  const engine = tf.engine() as unknown as { state: { activeProfile: { kernels: unknown[] } } };
  return engine.state.activeProfile.kernels.length;
}

type ProfileKernel = Awaited<ReturnType<Tf['profile']>>['kernels'][number];

/** Sums tf.profile's records; those before `mark` (profiledKernelCount when the loss existed) are the forward's. */
export async function aggregateProfile(tf: Tf, kernels: ProfileKernel[], mark: number): Promise<KernelProfile> {
  const rows = new Map<string, KernelRow>();
  const shapes = new Map<string, Map<string, number>>();
  const matmuls = new Map<string, MatMulRow>();
  const profiledMs = { forward: 0, backward: 0 };
  const backend = tf.getBackend();
  for (let i = 0; i < kernels.length; i++) {
    const k = kernels[i]!;
    // Records of customGrad scopes wrap kernels that are recorded themselves: count registered kernels only.
    if (!tf.getKernel(k.name, backend)) continue;
    const t = await k.kernelTimeMs;
    const ms = typeof t === 'number' ? t : 0;
    const row = rows.get(k.name) ?? { name: k.name, fwdMs: 0, fwdCount: 0, bwdMs: 0, bwdCount: 0, topShapes: '', topShapesMs: 0 };
    if (i < mark) {
      row.fwdMs += ms;
      row.fwdCount++;
      profiledMs.forward += ms;
    } else {
      row.bwdMs += ms;
      row.bwdCount++;
      profiledMs.backward += ms;
    }
    rows.set(k.name, row);
    const sig = k.inputShapes.map((s) => (s ? `[${s.join('×')}]` : '-')).join(' · ');
    const bySig = shapes.get(k.name) ?? new Map<string, number>();
    bySig.set(sig, (bySig.get(sig) ?? 0) + ms);
    shapes.set(k.name, bySig);
    if (k.name === 'BatchMatMul') {
      const m = matmuls.get(sig) ?? { shapes: sig, fwdCount: 0, bwdCount: 0, ms: 0, flops: matMulFlops(k.inputShapes as number[][]) };
      if (i < mark) m.fwdCount++;
      else m.bwdCount++;
      m.ms += ms;
      matmuls.set(sig, m);
    }
  }
  for (const row of rows.values()) {
    const [sig, ms] = [...shapes.get(row.name)!.entries()].reduce((a, b) => (b[1] > a[1] ? b : a));
    row.topShapes = sig;
    row.topShapesMs = ms;
  }
  return {
    kernels: [...rows.values()].sort((a, b) => b.fwdMs + b.bwdMs - (a.fwdMs + a.bwdMs)),
    matmuls: [...matmuls.values()].sort((a, b) => b.ms - a.ms),
    profiledMs,
  };
}

/**
 * FLOPs of one matMul from its input shapes (the profile does not record the
 * transpose attributes; the engine's products are plain, so the plain reading
 * is tried first).
 */
function matMulFlops([a, b]: number[][]): number {
  if (!a || !b || a.length < 2 || b.length < 2) return 0;
  const [m, k] = a.slice(-2) as [number, number];
  const [k2, n] = b.slice(-2) as [number, number];
  const batch = Math.max(a.slice(0, -2).reduce((x, y) => x * y, 1), b.slice(0, -2).reduce((x, y) => x * y, 1));
  if (k === k2) return 2 * batch * m * k * n; // a·b
  if (k === n) return 2 * batch * m * k * k2; // a·bᵀ
  if (m === k2) return 2 * batch * k * m * n; // aᵀ·b
  return 0;
}

const share = (ms: number, profiledMs: number) => `${((100 * ms) / profiledMs).toFixed(1)}%`;

/** The table of `kernels` (the rows to show), each one's share of `profiledMs` (all kernels of the profiled step). */
export function kernelTable(kernels: KernelRow[], profiledMs: number): string[] {
  return [
    '| kernel | forward ms (calls) | backward ms (calls) | share | costliest input shapes (ms) |',
    '|---|---|---|---|---|',
    ...kernels.map(
      (k) =>
        `| ${k.name} | ${k.fwdMs.toFixed(0)} (${k.fwdCount}) | ${k.bwdMs.toFixed(0)} (${k.bwdCount}) | ${share(k.fwdMs + k.bwdMs, profiledMs)} | ${k.topShapes} (${k.topShapesMs.toFixed(0)}) |`,
    ),
  ];
}

/** The 10 costliest BatchMatMul shapes of `rows` (all of them, the costliest first), then the batched and 2-D totals. */
export function matMulTable(rows: MatMulRow[], profiledMs: number): string[] {
  return [
    '| input shapes | calls forward / backward | ms | share | GFLOP | GFLOP/s |',
    '|---|---|---|---|---|---|',
    ...rows
      .slice(0, 10)
      .map(
        (m) =>
          `| ${m.shapes} | ${m.fwdCount} / ${m.bwdCount} | ${m.ms.toFixed(0)} | ${share(m.ms, profiledMs)} | ${(m.flops * (m.fwdCount + m.bwdCount) / 1e9).toFixed(2)} | ` +
          `${m.flops > 0 ? ((m.flops * (m.fwdCount + m.bwdCount)) / 1e6 / m.ms).toFixed(1) : '?'} |`,
      ),
    ...matMulSummary(rows, profiledMs),
  ];
}

/** Attention's batched (rank ≥ 3) products against the 2-D ones: time, FLOPs and rate of each group. */
function matMulSummary(rows: MatMulRow[], profiledMs: number): string[] {
  const group = (batched: boolean) => {
    // Batched means a batch on the right-hand side: a batch against one matrix (RoPE's rotate_half) is one tall 2-D product.
    const sel = rows.filter((r) => (r.shapes.split(' · ')[1] ?? '').split('×').length > 2 === batched);
    const ms = sel.reduce((n, r) => n + r.ms, 0);
    const flops = sel.reduce((n, r) => n + r.flops * (r.fwdCount + r.bwdCount), 0);
    return { ms, flops, calls: sel.reduce((n, r) => n + r.fwdCount + r.bwdCount, 0) };
  };
  const b = group(true);
  const p = group(false);
  const line = (label: string, g: typeof b) =>
    `${label}: ${g.calls} calls, ${(g.ms / 1000).toFixed(2)} s (${((100 * g.ms) / profiledMs).toFixed(1)}% of the profiled step), ` +
    `${(g.flops / 1e9).toFixed(1)} GFLOP at ${(g.flops / 1e6 / Math.max(g.ms, 1e-9)).toFixed(1)} GFLOP/s`;
  return ['', `- ${line('Batched (attention) matMuls', b)}.`, `- ${line('2-D matMuls (linear layers, LoRA, LM head, RoPE)', p)}.`];
}
