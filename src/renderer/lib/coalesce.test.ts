import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coalesce } from './coalesce';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
const tick = () => new Promise((r) => setImmediate(r));

test('a burst of triggers during a call costs exactly one more call', async () => {
  const calls: ReturnType<typeof deferred>[] = [];
  const run = coalesce(() => {
    const d = deferred();
    calls.push(d);
    return d.promise;
  });
  run();
  run();
  run();
  run();
  assert.equal(calls.length, 1);
  calls[0]!.resolve();
  await tick();
  assert.equal(calls.length, 2);
  calls[1]!.resolve();
  await tick();
  assert.equal(calls.length, 2, 'no trigger came during the second call');
});

test('a failing task does not stop later triggers', async () => {
  let n = 0;
  const run = coalesce(async () => {
    n += 1;
    throw new Error('boom');
  });
  run();
  await tick();
  run();
  await tick();
  assert.equal(n, 2);
});
