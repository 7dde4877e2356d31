import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newRunHref, parseRoute, routeHref, type KnownRoute } from './route';

test('empty and root hashes are the runs page', () => {
  for (const hash of ['', '#', '#/', '#//', '#/runs']) assert.deepEqual(parseRoute(hash), { page: 'runs' });
});

test('#/runs/<id> is a run page, with or without a trailing slash', () => {
  assert.deepEqual(parseRoute('#/runs/12'), { page: 'run', runId: 12 });
  assert.deepEqual(parseRoute('#/runs/12/'), { page: 'run', runId: 12 });
});

test('compare takes a comma list of run ids, each once', () => {
  assert.deepEqual(parseRoute('#/compare?runs=3,1,3'), { page: 'compare', runIds: [3, 1] });
  assert.deepEqual(parseRoute('#/compare'), { page: 'compare', runIds: [] });
  assert.equal(parseRoute('#/compare?runs=1,x').page, 'not-found');
  assert.equal(parseRoute('#/compare?runs=0').page, 'not-found');
});

test('new run carries init_from (a folder path, any characters) and from_run', () => {
  const path = '/tmp/run 7/checkpoints/step-000010?&#';
  const href = newRunHref({ initFrom: path, fromRun: 7 });
  assert.deepEqual(parseRoute(href), { page: 'new', initFrom: path, fromRun: 7 });
  assert.deepEqual(parseRoute('#/new'), { page: 'new', initFrom: null, fromRun: null });
  assert.equal(newRunHref(), '#/new');
  assert.equal(newRunHref({ copyOf: 3 }), '#/new?copy_of=3');
});

test('tool pages keep their query for themselves', () => {
  assert.deepEqual(parseRoute('#/merge?run=4'), { page: 'merge', params: { run: '4' } });
  assert.deepEqual(parseRoute('#/inspect'), { page: 'inspect', params: {} });
  assert.deepEqual(parseRoute('#/playground/'), { page: 'playground', params: {} });
});

test('anything else is not found, keeping the hash for the message', () => {
  for (const hash of ['#/runs/0', '#/runs/abc', '#/runs/1.5', '#/settings', '#/runs/99999999999999999999']) {
    assert.deepEqual(parseRoute(hash), { page: 'not-found', hash }, hash);
  }
});

test('routeHref round-trips through parseRoute', () => {
  const routes: KnownRoute[] = [
    { page: 'runs' },
    { page: 'run', runId: 7 },
    { page: 'compare', runIds: [2, 5] },
    { page: 'new', initFrom: '/a/b', fromRun: null },
    { page: 'playground', params: { adapter: '/x y' } },
  ];
  for (const r of routes) assert.deepEqual(parseRoute(routeHref(r)), r);
});
