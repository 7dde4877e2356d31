// The readable (non --json) report of `loralab inspect`: totals with thousands
// separators, sizes in decimal and binary units, the per-module table with repeated
// layers collapsed, and the memory terms with their formulas.
import type { InspectReport } from '../../services/inspect';

const int0 = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB (${(b / 2 ** 20).toFixed(2)} MiB)`;
/** Decimal and binary units side by side, scaled to the size: "12.35 GB (11.50 GiB)". */
function bytes(b: number): string {
  const [d, bin, unit] = b >= 1e9 ? [1e9, 2 ** 30, 'G'] : b >= 1e6 ? [1e6, 2 ** 20, 'M'] : [1e3, 2 ** 10, 'K'];
  return `${(b / d).toFixed(2)} ${unit}B (${(b / bin).toFixed(2)} ${unit}iB)`;
}

export function formatReport(r: InspectReport): string {
  const m = r.model;
  const out: string[] = [];
  const what = m.kind === 'preset' ? `preset ${r.source}${m.hfId ? ` (${m.hfId})` : ''}` : `${r.source} (${m.files.length} safetensors file${m.files.length === 1 ? '' : 's'}, headers only)`;
  out.push(`model        ${what}; model_type ${m.modelType ?? 'unknown'}${m.variant && m.variant !== m.modelType ? ` (${m.variant})` : ''}; ${int0(m.tensors)} tensors`);
  const rank = r.adalora ? `init_r=${r.adalora.initR} target_r=${r.adalora.targetR}` : `r=${r.rank}`;
  out.push(`method       ${r.method}  ${rank}  alpha=${r.alpha}  scaling=${+r.scaling.toFixed(6)}`);
  out.push(`targets      ${typeof r.targets === 'string' ? `/${r.targets}/` : r.targets.join(', ')}`);
  out.push(`base params  ${int0(r.baseParams)}`);
  out.push(`trainable    ${int0(r.trainableParams)}  (${r.trainablePercent.toFixed(4)}% of ${int0(r.totalParams)} total)`);
  if (r.adalora) out.push(`             at target_r: ${int0(r.adalora.targetParams)} (saved after budgeting; uniform-rank estimate)`);
  const b = r.adapterBytes;
  out.push(`adapter file ${int0(b.fileFloat32)} B = ${mb(b.fileFloat32)} float32 (PEFT's default)`);
  out.push(`             ${int0(b.fileFloat16)} B = ${mb(b.fileFloat16)} float16`);
  out.push(`             ${int0(b.fileBfloat16)} B = ${mb(b.fileBfloat16)} bfloat16`);
  if (r.adalora) out.push(`             ${int0(r.adalora.fileFloat32AtTarget)} B = ${mb(r.adalora.fileFloat32AtTarget)} float32 at target_r`);

  out.push('', `adapted modules (${r.modules.length})`);
  const rows = collapse(r.modules);
  const w = Math.max(6, ...rows.map((x) => x.name.length));
  out.push(`  ${'module'.padEnd(w)}  ${'shape'.padEnd(14)} ${'in'.padStart(7)} ${'out'.padStart(7)} ${'params'.padStart(11)}  count`);
  for (const x of rows) {
    out.push(`  ${x.name.padEnd(w)}  ${`[${x.shape.join(', ')}]`.padEnd(14)} ${int0(x.in).padStart(7)} ${int0(x.out).padStart(7)} ${int0(x.params).padStart(11)}  ×${x.count}`);
  }

  const mem = r.memory;
  out.push('', `training memory estimate (${mem.method}, batch ${mem.batchSize} × ${mem.seqLen} tokens, no gradient checkpointing)`);
  for (const t of mem.terms) out.push(`  ${t.name.padEnd(12)} ${bytes(t.bytes).padStart(24)}  ${t.formula}`);
  out.push(`  ${'total'.padEnd(12)} ${bytes(mem.totalBytes).padStart(24)}`);
  out.push(`  compare: full ${bytes(mem.compare.full)} · lora ${bytes(mem.compare.lora)} · qlora ${bytes(mem.compare.qlora)}`);
  return out.join('\n') + '\n';
}

/** Repeated layers as one row: "transformer.layers.{0-27}.attention.query_key_value ×28". */
function collapse(modules: InspectReport['modules']): { name: string; shape: number[]; in: number; out: number; params: number; count: number }[] {
  const groups = new Map<string, { pattern: string; layers: number[]; m: InspectReport['modules'][number] }>();
  for (const m of modules) {
    const match = /\.(\d+)\./.exec(m.module);
    const pattern = match ? `${m.module.slice(0, match.index)}.{}.${m.module.slice(match.index + match[0].length)}` : m.module;
    const key = `${pattern}|${m.shape.join(',')}|${m.params}`;
    const g = groups.get(key);
    if (g) g.layers.push(match ? Number(match[1]) : 0);
    else groups.set(key, { pattern, layers: [match ? Number(match[1]) : 0], m });
  }
  return [...groups.values()].map(({ pattern, layers, m }) => ({
    name: pattern.replace('{}', ranges(layers)),
    shape: m.shape,
    in: m.in,
    out: m.out,
    params: m.params,
    count: layers.length,
  }));
}

/** [0,1,2,3,7] → "{0-3,7}"; a single index stays bare. */
function ranges(xs: number[]): string {
  if (xs.length === 1) return String(xs[0]);
  const sorted = [...xs].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return `{${parts.join(',')}}`;
}
