import assert from 'node:assert/strict';
import { test } from 'node:test';
import { continuationConfig, parseNewRunQuery } from './prefill';

test('the New run query names the checkpoint and the run it continues', () => {
  assert.deepEqual(parseNewRunQuery('#/new?init_from=%2Fruns%2F3%2Fcheckpoints%2Fstep-20&from_run=3'), {
    initFrom: '/runs/3/checkpoints/step-20',
    fromRun: 3,
  });
  assert.deepEqual(parseNewRunQuery('#/new'), { initFrom: null, fromRun: null });
  assert.deepEqual(parseNewRunQuery('#/new?from_run=x'), { initFrom: null, fromRun: null });
  assert.deepEqual(parseNewRunQuery('#/new?copy_of=5'), { initFrom: null, fromRun: null, copyOf: 5 });
  assert.deepEqual(parseNewRunQuery('#/new?copy_of=0'), { initFrom: null, fromRun: null });
});

test('a continuation keeps the config, renames it and sets init_from (the path, else the run id)', () => {
  const base = { name: 'demo', model: '/m', init_from: null };
  assert.deepEqual(continuationConfig(base, { initFrom: '/ck', fromRun: 3 }), { name: 'demo-continued', model: '/m', init_from: '/ck' });
  assert.equal(continuationConfig(base, { initFrom: null, fromRun: 3 }).init_from, 3);
});
