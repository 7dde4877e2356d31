// Tests for the seeded PRNG. Run: node --import tsx --test src/main/engine/train/rng.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from './rng';

test('same seed, same sequence; different seed, different sequence', () => {
  const a = createRng(42);
  const b = createRng(42);
  const c = createRng(43);
  const xs = Array.from({ length: 100 }, () => a.next());
  assert.deepEqual(Array.from({ length: 100 }, () => b.next()), xs);
  assert.notDeepEqual(Array.from({ length: 100 }, () => c.next()), xs);
  for (const x of xs) assert.ok(x >= 0 && x < 1);
});

test('state() and restore() continue the sequence exactly', () => {
  const a = createRng(7);
  for (let i = 0; i < 10; i++) a.normal();
  const saved = a.state();
  const expected = [a.next(), a.int(10), a.normal()];
  const b = createRng(0);
  b.restore(saved);
  assert.deepEqual([b.next(), b.int(10), b.normal()], expected);
});

test('int covers its range and normal has roughly unit moments', () => {
  const r = createRng(1);
  const seen = new Set<number>();
  for (let i = 0; i < 1000; i++) seen.add(r.int(5));
  assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4]);
  let sum = 0;
  let sq = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    sum += z;
    sq += z * z;
  }
  assert.ok(Math.abs(sum / n) < 0.05);
  assert.ok(Math.abs(sq / n - 1) < 0.05);
});

test('bad arguments are named', () => {
  assert.throws(() => createRng(1.5), /seed must be an integer, got 1.5/);
  assert.throws(() => createRng(1).int(0), /positive integer, got 0/);
});
