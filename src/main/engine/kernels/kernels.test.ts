// Our own wasm kernels and the threaded wasm build, on the real backends: the
// 2-D-path BatchMatMul against tfjs's cpu kernel and against per-slice 2-D
// products (bit for bit), SoftmaxXentGrad against the one-hot composition on
// wasm and cpu, and a child process on one thread computing exactly the same
// bytes as this one on every core (so resume stays bit-identical), that exits
// by itself (the pool's workers do not hold the process).
// Run: node --import tsx --test src/main/engine/kernels/kernels.test.ts
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import type { Tensor } from '@tensorflow/tfjs';
import { selectBackend, type BackendSelection, type Tf } from '../backend';
import { SOFTMAX_XENT_GRAD, softmaxXentGrad } from './softmax-xent-grad';

let tf: Tf;
let selection: BackendSelection;
before(async () => {
  selection = await selectBackend({ prefer: 'wasm' });
  tf = selection.tf;
});

// Products of at least 64·64·64 multiply-adds take our path; smaller ones tfjs's own loop.
const CASES: { a: number[]; b: number[]; ta?: boolean; tb?: boolean }[] = [
  { a: [2, 3, 64, 32], b: [2, 3, 32, 128] }, // attention scores, per head
  { a: [2, 3, 64, 64], b: [2, 3, 64, 80] },
  { a: [2, 3, 64, 72], b: [2, 3, 64, 72], tb: true },
  { a: [2, 3, 72, 64], b: [2, 3, 72, 64], ta: true },
  { a: [1, 2, 64, 70], b: [1, 2, 66, 64], ta: true, tb: true },
  { a: [4, 12, 24], b: [24, 5] }, // a batch against one matrix: one tall product
  { a: [70, 64], b: [3, 64, 66] }, // one matrix against a batch
  { a: [80, 64], b: [70, 64], tb: true },
  { a: [64, 80], b: [64, 70], ta: true },
  { a: [2, 3, 4, 8], b: [2, 3, 8, 5] }, // small: tfjs's loop
  { a: [1, 7], b: [7, 1] },
  { a: [3, 0], b: [0, 4] }, // an empty inner dimension: zeros
];

/** Values in [-1, 1] from a seed, made in JS so every backend starts from the same bits. */
function data(shape: number[], seed: number): Tensor {
  let s = seed;
  const n = shape.reduce((x, y) => x * y, 1);
  const values = Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) >>> 0) % 2001) / 1000 - 1);
  return tf.tensor(values, shape);
}

async function onBackend<T>(name: string, f: () => T): Promise<T> {
  const previous = tf.getBackend();
  await tf.setBackend(name);
  try {
    return f();
  } finally {
    await tf.setBackend(previous);
  }
}

test('the selection reports one wasm thread per core', () => {
  assert.equal(selection.backend, 'wasm');
  assert.equal(selection.wasmThreads, Math.min(os.cpus().length, 8));
});

test('BatchMatMul on wasm matches the cpu kernel in every layout', async () => {
  for (const c of CASES) {
    const product = () =>
      tf.tidy(() => tf.matMul(data(c.a, 1), data(c.b, 2), c.ta ?? false, c.tb ?? false).dataSync() as Float32Array);
    const wasm = product();
    const cpu = await onBackend('cpu', product);
    assert.equal(wasm.length, cpu.length, JSON.stringify(c));
    let worst = 0;
    for (let i = 0; i < wasm.length; i++) worst = Math.max(worst, Math.abs(wasm[i]! - cpu[i]!));
    assert.ok(worst < 1e-4, `${JSON.stringify(c)}: max abs difference ${worst}`);
  }
  assert.equal(tf.memory().numTensors, 0, 'the kernel leaked tensors');
});

test('a batched product equals its 2-D products bit for bit', () => {
  tf.tidy(() => {
    const a = data([3, 2, 64, 64], 3);
    const b = data([3, 2, 64, 70], 4);
    const batched = tf.matMul(a, b).dataSync() as Float32Array;
    const slices: number[] = [];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) {
        const ai = tf.slice(a, [i, j, 0, 0], [1, 1, 64, 64]).reshape([64, 64]);
        const bi = tf.slice(b, [i, j, 0, 0], [1, 1, 64, 70]).reshape([64, 70]);
        slices.push(...(tf.matMul(ai, bi).dataSync() as Float32Array));
      }
    }
    assert.deepEqual(Array.from(batched), slices);
  });
});

test('SoftmaxXentGrad equals (softmax − one_hot) · scale on wasm and cpu', async () => {
  for (const backend of ['wasm', 'cpu']) {
    await onBackend(backend, () => {
      assert.ok(tf.getKernel(SOFTMAX_XENT_GRAD, backend), `registered for ${backend}`);
      tf.tidy(() => {
        const probs = tf.softmax(data([6, 11], 5)) as never;
        const labels = tf.tensor1d([0, 10, 3, 3, 7, 1], 'int32');
        const scale = tf.tensor2d([0.5, 0, 1, 2, -1, 0.25], [6, 1]);
        const got = softmaxXentGrad(tf, probs, labels, scale).dataSync();
        const want = tf.mul(tf.sub(probs, tf.oneHot(labels, 11)), scale).dataSync();
        for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) < 1e-7, `${backend} element ${i}: ${got[i]} vs ${want[i]}`);
      });
    });
  }
});

/** SHA-256 of products, a softmax and a reduction at sizes where XNNPACK splits work across threads. */
const HASH_SCRIPT = `
const { selectBackend } = require(${JSON.stringify(path.join(__dirname, '..', 'backend.ts'))});
const { createHash } = require('node:crypto');
selectBackend({ prefer: 'wasm' }).then((s) => {
  const tf = s.tf;
  const h = createHash('sha256');
  const t = (shape, seed) => tf.randomUniform(shape, -1, 1, 'float32', seed);
  for (const [a, b] of [[[300, 200], [200, 500]], [[4, 3, 64, 32], [4, 3, 32, 64]], [[512, 96], [96, 256]]]) {
    h.update(tf.matMul(t(a, 1), t(b, 2)).dataSync());
  }
  h.update(tf.softmax(t([256, 1000], 3)).dataSync());
  h.update(tf.sum(t([1000, 300], 4), -1).dataSync());
  console.log(JSON.stringify({ threads: s.wasmThreads, hash: h.digest('hex') }));
});
`;

function hashIn(threads: number): { threads: number; hash: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', HASH_SCRIPT], {
    env: { ...process.env, LORALAB_WASM_THREADS: String(threads) },
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `child with ${threads} thread(s) exited ${r.status} (signal ${r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { threads: number; hash: string };
}

test('one thread and every core compute the same bits, and a threaded process exits by itself', () => {
  const cores = Math.min(os.cpus().length, 8);
  const single = hashIn(1);
  const threaded = hashIn(cores);
  assert.equal(single.threads, 1);
  assert.equal(threaded.threads, cores);
  assert.equal(threaded.hash, single.hash);
});
