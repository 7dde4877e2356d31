// Training-memory terms: bytes per parameter for each method, NF4 + double quant at
// ≈4.127 bits (Dettmers et al. 2023, QLoRA, arXiv:2305.14314, §3), and the activation formula reducing to
// Korthikanti et al.'s 34·s·b·h + 5·a·s²·b for a 4h GeLU MLP.
// Run: node --import tsx --test src/shared/math/memory.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activationBytes, NF4_DQ_BITS, trainingMemory, type ModelDims } from './memory';

const gpt2: ModelDims = { hidden: 768, layers: 12, heads: 12, vocab: 50257, intermediate: 3072 };
const byName = (terms: { name: string; bytes: number }[]) => Object.fromEntries(terms.map((t) => [t.name, t.bytes]));

test('NF4 with double quantization costs 4 + 8/64 + 32/(64·256) bits per parameter', () => {
  assert.equal(NF4_DQ_BITS, 4.126953125);
  assert.equal(NF4_DQ_BITS.toFixed(3), '4.127');
});

test('activations reduce to 34·s·b·h + 5·a·s²·b per layer for a 4h MLP, and grow for a gated MLP', () => {
  const s = 1024;
  const b = 2;
  const a = activationBytes(gpt2, b, s);
  assert.equal(a.bytes, 12 * (34 * s * b * 768 + 5 * 12 * s * s * b));
  assert.match(a.formula, /Korthikanti/);
  const gated = activationBytes({ ...gpt2, gatedMlp: true }, b, s);
  assert.equal(gated.bytes - a.bytes, 12 * 4 * s * b * 3072);
});

test('full fine-tuning: fp32 weights, fp32 gradients and two AdamW moments for every parameter', () => {
  const m = trainingMemory({ method: 'full', baseParams: 1000, adapterParams: 10, batchSize: 1, seqLen: 1, dims: null });
  assert.deepEqual(byName(m.terms), { weights: 4000, gradients: 4000, optimizer: 8000 });
  assert.equal(m.totalBytes, 16_000);
});

test('LoRA: a 16-bit frozen base; gradients and optimizer only for the adapter', () => {
  const m = trainingMemory({ method: 'lora', baseParams: 1000, adapterParams: 10, batchSize: 1, seqLen: 1, dims: null });
  assert.deepEqual(byName(m.terms), { weights: 2000, adapter: 40, gradients: 40, optimizer: 80 });
  for (const t of m.terms) assert.ok(t.formula.length > 0);
});

test('QLoRA: quantized Linear weights at NF4+DQ, the rest in fp32', () => {
  const m = trainingMemory({ method: 'qlora', baseParams: 1_000_000, adapterParams: 100, quantizedParams: 900_000, batchSize: 1, seqLen: 1, dims: null });
  assert.equal(byName(m.terms).weights, Math.ceil((900_000 * NF4_DQ_BITS) / 8) + 100_000 * 4);
  assert.match(m.terms[0]!.formula, /≈ 4\.127 bits/);
  const lora = trainingMemory({ method: 'lora', baseParams: 1_000_000, adapterParams: 100, batchSize: 1, seqLen: 1, dims: null });
  assert.ok(m.totalBytes < lora.totalBytes);
});

test('with dims, activations and logits are added and scale with batch and sequence', () => {
  const one = trainingMemory({ method: 'lora', baseParams: 124_439_808, adapterParams: 294_912, batchSize: 1, seqLen: 128, dims: gpt2 });
  const two = trainingMemory({ method: 'lora', baseParams: 124_439_808, adapterParams: 294_912, batchSize: 2, seqLen: 128, dims: gpt2 });
  assert.deepEqual(one.terms.map((t) => t.name), ['weights', 'adapter', 'gradients', 'optimizer', 'activations', 'logits']);
  assert.equal(byName(one.terms).logits, 128 * 50257 * 6);
  assert.equal(byName(two.terms).activations, 2 * byName(one.terms).activations!);
  assert.equal(one.totalBytes, one.terms.reduce((s, t) => s + t.bytes, 0));
  assert.match(one.terms[0]!.formula, /124,439,808 params × 2 B/);
});

test('batch size and sequence length must be positive integers', () => {
  assert.throws(() => trainingMemory({ method: 'lora', baseParams: 1, adapterParams: 1, batchSize: 0, seqLen: 1, dims: null }), /batchSize must be a positive integer/);
  assert.throws(() => trainingMemory({ method: 'lora', baseParams: 1, adapterParams: 1, batchSize: 1, seqLen: 1.5, dims: null }), /seqLen/);
});
