// Training-memory estimate for LoRA, AdaLoRA, QLoRA and full fine-tuning, before a
// run starts. Each term carries its formula with the numbers filled in, so the
// report says how it was reached. An estimate, not a measurement: allocator
// overhead, the CUDA/runtime context and temporary buffers are not counted.
//
// Terms:
//   weights     full: fp32 (4 B/param). LoRA/AdaLoRA: the frozen base in 16-bit (2 B).
//               QLoRA: block Linear weights in NF4 with double quantization,
//               4 + 8/64 + 32/(64·256) ≈ 4.127 bits/param (Dettmers et al. 2023, QLoRA, arXiv:2305.14314, §3: blocks of 64,
//               absmax quantized to 8 bits in blocks of 256); everything else
//               (embeddings, lm_head, norms, biases) in fp32, as PEFT's
//               prepare_model_for_kbit_training casts it (QLoRA paper §4; transformers' bitsandbytes integration keeps lm_head in full precision).
//   adapter     LoRA/QLoRA/AdaLoRA: the adapter in fp32 (PEFT upcasts it, peft/tuners/tuners_utils.py).
//   gradients   fp32, trainable parameters only.
//   optimizer   AdamW: two fp32 moments per trainable parameter.
//   activations Korthikanti et al. 2022 ("Reducing Activation Recomputation in Large
//               Transformer Models", eq. 1): per layer s·b·h·(34 + 5·a·s/h) bytes with
//               16-bit activations, no gradient checkpointing, no parallelism. Their
//               34·s·b·h assumes a 4h GeLU MLP; written with the real intermediate size I
//               it is s·b·(18h + 4I), and a gated MLP (SwiGLU: gate, up, activation,
//               product) stores s·b·(18h + 8I). Models without dropout store somewhat less,
//               so this leans high.
//   logits      b·s·V·(2 + 4): 16-bit logits plus the float32 copy the loss makes (transformers' ForCausalLMLoss upcasts).

export type TrainingMethod = 'lora' | 'qlora' | 'adalora' | 'full';

export interface ModelDims {
  hidden: number;
  layers: number;
  heads: number;
  vocab: number;
  intermediate: number;
  /** SwiGLU-style MLP (Llama, Mistral, Qwen2, ChatGLM2/3): more intermediate activations. */
  gatedMlp?: boolean;
}

export interface MemoryInput {
  method: TrainingMethod;
  /** Base model parameters (tied weights once). */
  baseParams: number;
  /** Adapter parameters (LoRA/QLoRA/AdaLoRA); ignored for full fine-tuning. */
  adapterParams: number;
  /** QLoRA: how many base parameters are stored in 4 bits (the blocks' Linear weights). Default: all. */
  quantizedParams?: number;
  batchSize: number;
  seqLen: number;
  /** Without dims (an unknown architecture) the activation and logits terms are left out. */
  dims: ModelDims | null;
}

export interface MemoryTerm {
  name: 'weights' | 'adapter' | 'gradients' | 'optimizer' | 'activations' | 'logits';
  bytes: number;
  formula: string;
}

export interface MemoryEstimate {
  method: TrainingMethod;
  batchSize: number;
  seqLen: number;
  terms: MemoryTerm[];
  totalBytes: number;
}

/** Bits per parameter of NF4 with double quantization (QLoRA paper §3). */
export const NF4_DQ_BITS = 4 + 8 / 64 + 32 / (64 * 256);

const n = (x: number): string => Math.round(x).toLocaleString('en-US');

export function activationBytes(dims: ModelDims, batchSize: number, seqLen: number): MemoryTerm {
  const { hidden: h, layers: L, heads: a, intermediate: I } = dims;
  const k = dims.gatedMlp ? 8 : 4;
  const perLayer = seqLen * batchSize * (18 * h + k * I) + 5 * a * seqLen * seqLen * batchSize;
  return {
    name: 'activations',
    bytes: L * perLayer,
    formula:
      `L·(s·b·(18h + ${k}I) + 5·a·s²·b) = ${L}·(${seqLen}·${batchSize}·(18·${h} + ${k}·${I}) + 5·${a}·${seqLen}²·${batchSize}) B` +
      ` (16-bit, no checkpointing; Korthikanti et al. 2022)`,
  };
}

export function trainingMemory(input: MemoryInput): MemoryEstimate {
  const { method, baseParams, batchSize, seqLen } = input;
  for (const [k, v] of [['batchSize', batchSize], ['seqLen', seqLen]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${k} must be a positive integer, got ${v}`);
  }
  const trainable = method === 'full' ? baseParams : input.adapterParams;
  const terms: MemoryTerm[] = [];

  if (method === 'full') {
    terms.push({ name: 'weights', bytes: baseParams * 4, formula: `${n(baseParams)} params × 4 B (fp32)` });
  } else if (method === 'qlora') {
    const q = Math.min(input.quantizedParams ?? baseParams, baseParams);
    const rest = baseParams - q;
    terms.push({
      name: 'weights',
      bytes: Math.ceil((q * NF4_DQ_BITS) / 8) + rest * 4,
      formula:
        `${n(q)} Linear params × (4 + 8/64 + 32/(64·256)) bits (NF4 + double quant ≈ ${NF4_DQ_BITS.toFixed(3)} bits)` +
        ` + ${n(rest)} other params × 4 B (fp32)`,
    });
  } else {
    terms.push({ name: 'weights', bytes: baseParams * 2, formula: `${n(baseParams)} params × 2 B (fp16/bf16, frozen)` });
  }
  if (method !== 'full') {
    terms.push({ name: 'adapter', bytes: trainable * 4, formula: `${n(trainable)} adapter params × 4 B (fp32)` });
  }
  terms.push({ name: 'gradients', bytes: trainable * 4, formula: `${n(trainable)} trainable × 4 B (fp32)` });
  terms.push({ name: 'optimizer', bytes: trainable * 8, formula: `${n(trainable)} trainable × 2 moments × 4 B (AdamW, fp32)` });
  if (input.dims) {
    terms.push(activationBytes(input.dims, batchSize, seqLen));
    const V = input.dims.vocab;
    terms.push({ name: 'logits', bytes: batchSize * seqLen * V * 6, formula: `b·s·V·(2 + 4) = ${batchSize}·${seqLen}·${V}·6 B` });
  }
  return { method, batchSize, seqLen, terms, totalBytes: terms.reduce((s, t) => s + t.bytes, 0) };
}
