// The AdaLoRA heatmap's grid: one row per adapted matrix, one column per masking
// step, each cell the rank that matrix kept after the step's budget masking
// (Zhang et al. 2023, "AdaLoRA", Algorithm 1; peft/tuners/adalora/model.py
// `update_and_allocate`). A matrix missing at a step keeps its previous rank,
// since masking only changes a rank when it records one.
import type { RankPoint } from '../../../shared/ipc/schemas';

export interface RankGrid {
  steps: number[];
  modules: string[];
  /** Short row labels: the module names without their common prefix. */
  labels: string[];
  /** rows × columns, row-major; -1 where the matrix has no rank yet. */
  cells: Int32Array;
  maxRank: number;
}

/** Natural order, so layers.10 comes after layers.9. */
const natural = new Intl.Collator('en', { numeric: true }).compare;

export function rankGrid(points: readonly RankPoint[]): RankGrid {
  const steps = [...new Set(points.map((p) => p.step))].sort((a, b) => a - b);
  const modules = [...new Set(points.map((p) => p.module))].sort(natural);
  const col = new Map(steps.map((s, i) => [s, i]));
  const row = new Map(modules.map((m, i) => [m, i]));
  const cells = new Int32Array(steps.length * modules.length).fill(-1);
  let maxRank = 0;
  for (const p of points) {
    cells[row.get(p.module)! * steps.length + col.get(p.step)!] = p.rank;
    if (p.rank > maxRank) maxRank = p.rank;
  }
  for (let r = 0; r < modules.length; r++) {
    for (let c = 1; c < steps.length; c++) {
      const i = r * steps.length + c;
      if (cells[i] === -1) cells[i] = cells[i - 1]!;
    }
  }
  return { steps, modules, labels: shortLabels(modules), cells, maxRank };
}

function shortLabels(modules: readonly string[]): string[] {
  if (modules.length < 2) return modules.map((m) => m.split('.').slice(-3).join('.'));
  const parts = modules.map((m) => m.split('.'));
  let common = 0;
  while (parts.every((p) => p.length > common + 1 && p[common] === parts[0]![common])) common++;
  return parts.map((p) => p.slice(common).join('.'));
}
