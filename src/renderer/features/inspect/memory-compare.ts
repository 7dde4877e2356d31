// LoRA, QLoRA and full fine-tuning memory side by side, each as its terms with
// their formulas. inspect.run answers with the terms of the method asked for and
// only the totals of the others, so the page asks for LoRA and QLoRA (QLoRA's
// weights term needs the count of quantized parameters, which only the engine's
// architecture spec knows) and derives full fine-tuning here with the same shared
// math: its weights, gradients and optimizer terms depend only on the base
// parameter count; activations and logits do not depend on the method at all.
import { trainingMemory, type MemoryTerm } from '../../../shared/math/memory';
import type { InspectReportData } from '../../../shared/ipc/workbench-schemas';

export type CompareMethod = 'lora' | 'qlora' | 'full';

export interface MethodMemory {
  method: CompareMethod;
  terms: MemoryTerm[];
  totalBytes: number;
}

export function compareMemory(lora: InspectReportData, qlora: InspectReportData): MethodMemory[] {
  const { batchSize, seqLen } = lora.memory;
  const shared = lora.memory.terms.filter((t) => t.name === 'activations' || t.name === 'logits');
  const own = trainingMemory({ method: 'full', baseParams: lora.baseParams, adapterParams: 0, batchSize, seqLen, dims: null }).terms;
  const full = [...own, ...shared];
  return [
    { method: 'lora', terms: lora.memory.terms, totalBytes: lora.memory.totalBytes },
    { method: 'qlora', terms: qlora.memory.terms, totalBytes: qlora.memory.totalBytes },
    { method: 'full', terms: full, totalBytes: full.reduce((s, t) => s + t.bytes, 0) },
  ];
}

export const METHOD_LABEL: Record<CompareMethod, string> = { lora: 'LoRA', qlora: 'QLoRA', full: 'Full fine-tuning' };
